import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Git, GitRunner, Identity } from "@longshot/git";
import { Plumbing } from "./internal/plumbing.js";
import { normalizePath } from "./test-files.js";

export interface HiddenCommitOptions {
  readonly git: Git;
  readonly runner: GitRunner;
  readonly path: string;
  readonly identity: Identity;
  readonly signal?: AbortSignal | undefined;
}

/**
 * A new commit on top of `commit` whose tree lacks the hidden path, made without any checkout
 * (a temporary index). Start the integration branch here and every task sandbox, bundle and
 * file list is free of the hidden tests; `restoreHiddenTests` puts them back before the target
 * branch moves. Returns `commit` unchanged when it has nothing at the path.
 */
export async function withoutHiddenTests(commit: string, options: HiddenCommitOptions): Promise<string> {
  const path = normalizePath(options.path);
  return withTemporaryIndex(options, async (run) => {
    await run(["read-tree", commit]);
    await run(["rm", "-r", "--cached", "--quiet", "--ignore-unmatch", "--", path]);
    const before = await options.git.revParse(`${commit}^{tree}`, signalOption(options));
    const tree = (await run(["write-tree"])).trim();
    if (tree === before) return commit;
    return options.git.commitTree(
      tree,
      [commit],
      `Hold out the acceptance tests in ${path}\n\nlongshot keeps them out of every sandbox and runs them on the integration branch.`,
      options.identity,
      signalOption(options),
    );
  });
}

/**
 * A new commit on top of `head` with the hidden path exactly as it is in `source` (worktree-free).
 * Returns `head` unchanged when nothing differs.
 */
export async function restoreHiddenTests(
  head: string,
  source: string,
  options: HiddenCommitOptions,
): Promise<string> {
  const path = normalizePath(options.path);
  return withTemporaryIndex(options, async (run) => {
    await run(["read-tree", head]);
    await run(["rm", "-r", "--cached", "--quiet", "--ignore-unmatch", "--", path]);
    const entries = await run(["ls-tree", "-r", "--full-tree", source, "--", path]);
    if (entries.trim() !== "") await run(["update-index", "--index-info"], entries);
    const tree = (await run(["write-tree"])).trim();
    if (tree === (await options.git.revParse(`${head}^{tree}`, signalOption(options)))) return head;
    return options.git.commitTree(
      tree,
      [head],
      `Restore the acceptance tests in ${path}`,
      options.identity,
      signalOption(options),
    );
  });
}

type IndexRun = (args: readonly string[], input?: string) => Promise<string>;

async function withTemporaryIndex<T>(
  options: HiddenCommitOptions,
  body: (run: IndexRun) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "longshot-index-"));
  const plumbing = new Plumbing(options.runner);
  const env = { GIT_INDEX_FILE: join(dir, "index") };
  try {
    return await body(async (args, input) => {
      const result = await plumbing.run(args, {
        cwd: options.git.path,
        env,
        signal: options.signal,
        ...(input === undefined ? {} : { input }),
      });
      return result.stdout;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function signalOption(options: HiddenCommitOptions): { signal?: AbortSignal } {
  return options.signal === undefined ? {} : { signal: options.signal };
}
