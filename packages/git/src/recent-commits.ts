import type { GitOperationOptions } from "./git-runner.js";
import { commitInfoFormat, parseCommitInfo, splitCommitRecords } from "./internal/parse.js";
import { runChecked } from "./internal/run-checked.js";
import { ProcessGitRunner } from "./process-git-runner.js";
import type { CommitInfo } from "./types.js";

/** Options of {@link recentCommits}. */
export interface RecentCommitsOptions extends GitOperationOptions {
  /** How many commits at most. */
  readonly limit: number;
}

/**
 * The newest `limit` commits of `rev`'s history, newest first (`git log -n<limit>`), with their
 * authors, dates and messages. Throws `GitCommandError` when `rev` names nothing (an unborn
 * branch included: check it with `Git.revParse` first) and `AbortError` when the signal fires.
 */
export async function recentCommits(
  repoPath: string,
  rev: string,
  options: RecentCommitsOptions,
): Promise<CommitInfo[]> {
  const args = [
    "log",
    `-n${options.limit}`,
    "-z",
    `--format=${commitInfoFormat}`,
    "--end-of-options",
    rev,
    "--",
  ];
  const result = await runChecked(options.runner ?? new ProcessGitRunner(), repoPath, args, {
    signal: options.signal,
  });
  return splitCommitRecords(result.stdout).map(parseCommitInfo);
}
