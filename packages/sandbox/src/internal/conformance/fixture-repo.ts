import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initTestRepo } from "./provider-testbed.js";

/** A temporary repository the conformance suite creates sandboxes from. */
export interface FixtureRepo {
  readonly path: string;
  /** The first commit: README.md, lines.txt, src/a.ts, src/nested/b.txt, .gitignore. */
  readonly base: string;
  /** A second commit on top of `base`: README.md changed, src/c.ts added, src/nested/b.txt removed. */
  readonly next: string;
  git(...args: string[]): string;
  remove(): void;
}

const files: Record<string, string> = {
  "README.md": "# fixture\n",
  "lines.txt": Array.from({ length: 10 }, (_, index) => `line ${index + 1}\n`).join(""),
  "src/a.ts": "export const a = 1;\n",
  "src/nested/b.txt": "needle in b\n",
  ".gitignore": "ignored/\n*.log\n",
};

export function createFixtureRepo(parent: string | undefined): FixtureRepo {
  const path = mkdtempSync(join(parent ?? tmpdir(), "longshot-conformance-"));
  const { base, git } = initTestRepo(path, files);
  writeFileSync(join(path, "README.md"), "# fixture, next\n");
  writeFileSync(join(path, "src/c.ts"), "export const c = 3;\n");
  git("rm", "--quiet", "src/nested/b.txt");
  git("add", "--all");
  git("commit", "--quiet", "--message", "next");
  const next = git("rev-parse", "HEAD");
  return { path, base, next, git, remove: () => rmSync(path, { recursive: true, force: true }) };
}
