import { GitCommandError, type GitRunner, type PushOutcome, pushRef } from "@longshot/git";
import { GitHubError } from "./github-error.js";

/** Options of {@link pushBranch}. */
export interface PushBranchOptions {
  /** The local repository. */
  readonly repoPath: string;
  /** A remote name (`origin`) or URL. */
  readonly remote: string;
  /** Local branch (or any revision) to push. */
  readonly branch: string;
  /** Branch name on the remote; default `branch`. */
  readonly remoteBranch?: string;
  /** Token for an https remote. Omit for ssh remotes or remotes that need none. */
  readonly token?: string;
  /** Overwrite the remote branch even when the push is not a fast-forward. */
  readonly force?: boolean;
  /**
   * Compare-and-swap: push only while the remote branch is still at this commit (null: only
   * while it does not exist), as `--force-with-lease`. A stale lease is a rejection.
   */
  readonly expected?: string | null;
  /** How git runs; default a `ProcessGitRunner` (inherits this process's environment). */
  readonly runner?: GitRunner;
  readonly signal?: AbortSignal;
}

/**
 * Pushes `branch` to `remoteBranch` on `remote` with `git push` (`pushRef` of `@longshot/git`):
 * the token reaches only that git process, through its environment, never `.git/config` or
 * git's arguments, and is redacted from whatever git says. A rejection (not a fast-forward, a
 * protected branch, a stale lease) is returned as `{ ok: false, reason }`. Throws `UserError`
 * for a remote name the clone lacks, {@link GitHubError} when the push fails in transport or
 * authentication, and `AbortError` when the signal aborts.
 */
export async function pushBranch(options: PushBranchOptions): Promise<PushOutcome> {
  const destination = `refs/heads/${options.remoteBranch ?? options.branch}`;
  try {
    return await pushRef(options.repoPath, options.remote, options.branch, destination, {
      token: options.token,
      ...(options.force === true ? { force: true } : {}),
      ...(options.expected === undefined ? {} : { expected: options.expected }),
      ...(options.runner === undefined ? {} : { runner: options.runner }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    const detail = error.stderr.trim() || error.message;
    const denied = /authentication failed|403|401|denied|could not read username/i.test(detail);
    throw new GitHubError(
      `Could not push ${options.branch} to ${options.remote}: ${detail}${denied ? " (check that GITHUB_TOKEN can write to the repository)" : ""}`,
      { status: denied ? 401 : null, fields: { remote: options.remote, branch: options.branch } },
    );
  }
}
