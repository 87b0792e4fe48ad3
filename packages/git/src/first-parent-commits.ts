import type { GitOperationOptions } from "./git-runner.js";
import { runChecked } from "./internal/run-checked.js";
import { ProcessGitRunner } from "./process-git-runner.js";

/**
 * The commits `to` added after `from` along its own first-parent line, oldest first
 * (`git rev-list --first-parent --reverse from..to`): on an integration branch, one commit per
 * landing, whatever the merged branches contained. Empty when `to` adds nothing (it is `from` or
 * one of its ancestors). Throws `GitCommandError` when either revision names nothing and
 * `AbortError` when the signal fires.
 */
export async function firstParentCommits(
  repoPath: string,
  from: string,
  to: string,
  options: GitOperationOptions = {},
): Promise<string[]> {
  const args = ["rev-list", "--first-parent", "--reverse", `${from}..${to}`];
  const result = await runChecked(options.runner ?? new ProcessGitRunner(), repoPath, args, {
    signal: options.signal,
  });
  return result.stdout.split("\n").filter((line) => line !== "");
}
