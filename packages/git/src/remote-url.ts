import type { GitOperationOptions } from "./git-runner.js";
import { runChecked } from "./internal/run-checked.js";
import { ProcessGitRunner } from "./process-git-runner.js";

/** Options of {@link remoteUrl}. */
export interface RemoteUrlOptions extends GitOperationOptions {
  /** The URL git pushes to (`remote.<name>.pushurl` when set) rather than the one it fetches from. */
  readonly push?: boolean;
}

/**
 * The URL of the remote `name` of the repository at `repoPath`, as git uses it (`git remote
 * get-url`, `insteadOf` rewrites applied), or null when the repository has no such remote.
 * Throws `GitCommandError` when `repoPath` is no repository and `AbortError` when the signal
 * fires.
 */
export async function remoteUrl(
  repoPath: string,
  name: string,
  options: RemoteUrlOptions = {},
): Promise<string | null> {
  const args = ["remote", "get-url", ...(options.push === true ? ["--push"] : []), "--", name];
  const result = await runChecked(options.runner ?? new ProcessGitRunner(), repoPath, args, {
    signal: options.signal,
    accept: [0, 2],
  });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}
