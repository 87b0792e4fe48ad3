import type { RemoteAccessOptions } from "./git-runner.js";
import { fetchRefspecs, lsRemoteRef, openRemote, runRemote } from "./internal/remote-access.js";

/**
 * Fetches the branch `branch` of `remote` (a remote name, URL or path) into the full ref `into`
 * of the repository at `repoPath`, forced (the ref mirrors the remote), and returns the commit
 * it holds now; null, fetching nothing, when the remote has no such branch. `token` is used as
 * {@link RemoteAccessOptions} says. Throws `GitCommandError` when git cannot read or fetch from
 * the remote (the token redacted from it), `MissingRemoteError` when a token comes with a
 * remote name the repository lacks, and `AbortError` when the signal fires.
 */
export async function fetchBranch(
  repoPath: string,
  remote: string,
  branch: string,
  into: string,
  options: RemoteAccessOptions = {},
): Promise<string | null> {
  const call = await openRemote(repoPath, remote, options, false);
  const ref = `refs/heads/${branch}`;
  if ((await lsRemoteRef(call, ref)) === null) return null;
  await fetchRefspecs(call, [`+${ref}:${into}`]);
  const resolved = await runRemote(call, ["rev-parse", "--verify", "--quiet", `${into}^{commit}`], [0, 1]);
  return resolved.exitCode === 0 ? resolved.stdout.trim() : null;
}
