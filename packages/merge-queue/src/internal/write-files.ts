import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Git, GitRunner } from "@longshot/git";

/** What writing files into a tree needs: the repository and a way to run git with a private index. */
export interface WriteFilesContext {
  readonly git: Git;
  readonly runner: GitRunner;
  readonly signal?: AbortSignal;
}

/**
 * `tree` with `files` (path to content) replaced, written with a private index so no checkout
 * is touched. Each file keeps the mode it has at `head` (100644 when it is new there).
 */
export async function writeFiles(
  context: WriteFilesContext,
  tree: string,
  head: string,
  files: ReadonlyMap<string, string>,
): Promise<string> {
  if (files.size === 0) return tree;
  const dir = mkdtempSync(join(tmpdir(), "longshot-union-"));
  const env = { GIT_INDEX_FILE: join(dir, "index") };
  const run = async (args: readonly string[], input?: string): Promise<string> => {
    const result = await context.runner.run({
      args,
      cwd: context.git.path,
      env,
      ...(input === undefined ? {} : { input }),
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    });
    if (result.exitCode !== 0) throw new Error(`git ${args[0]} failed: ${result.stderr.trim()}`);
    return result.stdout.trim();
  };
  try {
    await run(["read-tree", tree]);
    for (const [file, content] of files) {
      const blob = await run(["hash-object", "-w", "--stdin"], content);
      const listed = await run(["ls-tree", head, "--", file]);
      const mode = listed.split(/\s/)[0] || "100644";
      await run(["update-index", "--add", "--cacheinfo", `${mode},${blob},${file}`]);
    }
    return await run(["write-tree"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
