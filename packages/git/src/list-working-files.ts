import type { GitOperationOptions } from "./git-runner.js";
import { splitNul } from "./internal/parse.js";
import { runChecked } from "./internal/run-checked.js";
import { ProcessGitRunner } from "./process-git-runner.js";

/**
 * Every file of the working tree at `repoPath` as git sees it, relative to that directory: the
 * tracked ones (from the index, so deleted files not yet staged are still listed) and the
 * untracked ones that no ignore rule covers (`git ls-files --cached --others
 * --exclude-standard`), each once, in git's order. Throws `GitCommandError` when `repoPath` is
 * no working tree and `AbortError` when the signal fires.
 */
export async function listWorkingFiles(
  repoPath: string,
  options: GitOperationOptions = {},
): Promise<string[]> {
  const args = ["ls-files", "-z", "--cached", "--others", "--exclude-standard"];
  const result = await runChecked(options.runner ?? new ProcessGitRunner(), repoPath, args, {
    signal: options.signal,
  });
  return [...new Set(splitNul(result.stdout))];
}
