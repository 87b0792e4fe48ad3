import type { GitOperationOptions } from "./git-runner.js";
import { runChecked } from "./internal/run-checked.js";
import { ProcessGitRunner } from "./process-git-runner.js";

/** How {@link mergeInWorktree} ended. */
export type WorktreeMergeOutcome =
  | { readonly kind: "clean"; readonly tree: string }
  /** Paths left unmerged, in git's order; the worktree was reset to its HEAD. */
  | { readonly kind: "conflict"; readonly files: readonly string[] };

/**
 * A three-way merge with an explicit merge base, for git without `merge-tree --merge-base`
 * (before 2.40): merges `theirs` into the commit checked out in the worktree at `worktreePath`,
 * taking `base` as their common ancestor (`git merge-recursive base -- HEAD theirs`), and writes
 * the merged tree, which it returns; no commit is made and no ref moves. With `base` a commit and
 * `theirs` its parent, this undoes that commit on top of HEAD.
 *
 * The worktree is scratch: after a clean merge its files and index hold the result; after a
 * conflict (an outcome, not an error) it is reset to HEAD. Throws `GitCommandError` when git
 * fails otherwise and `AbortError` when the signal fires.
 */
export async function mergeInWorktree(
  worktreePath: string,
  base: string,
  theirs: string,
  options: GitOperationOptions = {},
): Promise<WorktreeMergeOutcome> {
  const runner = options.runner ?? new ProcessGitRunner();
  const run = (args: readonly string[], accept?: readonly number[]) =>
    runChecked(runner, worktreePath, args, {
      signal: options.signal,
      ...(accept === undefined ? {} : { accept }),
    });
  const merge = await run(["merge-recursive", base, "--", "HEAD", theirs], [0, 1]);
  if (merge.exitCode !== 0) {
    const unmerged = await run(["diff", "--name-only", "--diff-filter=U"]);
    await run(["reset", "--hard", "--quiet", "HEAD"]);
    return { kind: "conflict", files: unmerged.stdout.split("\n").filter((line) => line !== "") };
  }
  const tree = await run(["write-tree"]);
  return { kind: "clean", tree: tree.stdout.trim() };
}
