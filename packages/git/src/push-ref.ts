import { GitCommandError } from "./errors.js";
import type { RemoteAccessOptions } from "./git-runner.js";
import { openRemote, runRemote } from "./internal/remote-access.js";
import type { PushOutcome } from "./types.js";

/** Options of {@link pushRef}. */
export interface PushRefOptions extends RemoteAccessOptions {
  /**
   * Compare-and-swap (`--force-with-lease`): push only while the remote ref is still this
   * commit (null: only while it does not exist). A stale lease is a rejection.
   */
  readonly expected?: string | null;
  /** Overwrite the remote ref even when the push is not a fast-forward. */
  readonly force?: boolean;
}

/**
 * Pushes `source` (a commit or ref) of the repository at `repoPath` to the full ref
 * `destination` on `remote` (a remote name, URL or path), without running hooks, and with
 * `token` as {@link RemoteAccessOptions} says. A rejection (stale lease, declined by a hook, not
 * a fast-forward, a protected branch) is returned as `{ ok: false, reason }`. Throws
 * `GitCommandError` when the push fails otherwise (transport, authentication; the token
 * redacted from it), `MissingRemoteError` when a token comes with a remote name the repository
 * lacks, and `AbortError` when the signal fires.
 */
export async function pushRef(
  repoPath: string,
  remote: string,
  source: string,
  destination: string,
  options: PushRefOptions = {},
): Promise<PushOutcome> {
  const call = await openRemote(repoPath, remote, options, true);
  const lease =
    options.expected === undefined ? [] : [`--force-with-lease=${destination}:${options.expected ?? ""}`];
  const force = options.force === true ? ["--force"] : [];
  const args = ["push", "--porcelain", "--no-verify", ...force, ...lease, remote, `${source}:${destination}`];
  const result = await runRemote(call, args, [0, 1]);
  if (result.exitCode === 0) return { ok: true };
  const rejected = result.stdout.split("\n").find((line) => line.startsWith("!"));
  if (rejected === undefined) throw new GitCommandError(args, repoPath, result.exitCode, result.stderr);
  return { ok: false, reason: rejected.split("\t")[2] ?? rejected };
}
