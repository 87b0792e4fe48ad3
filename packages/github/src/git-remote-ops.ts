import {
  editTree,
  fetchBranch as fetchRemoteBranch,
  Git,
  GitCommandError,
  type GitRunner,
  type Identity,
} from "@longshot/git";
import { GitHubError } from "./github-error.js";

/** Options shared by the remote operations. */
export interface RemoteOptions {
  readonly repoPath: string;
  /** A remote name (`origin`) or URL. */
  readonly remote: string;
  readonly token?: string;
  readonly runner: GitRunner;
  readonly signal?: AbortSignal;
}

/**
 * Fetches `branch` from the remote into the full ref `into` (forced: it mirrors the remote) and
 * returns its commit, or null when the remote has no such branch. The token reaches only these
 * git processes, as for `pushBranch`. Throws `UserError` for a remote name the clone lacks and
 * {@link GitHubError} when the fetch itself fails.
 */
export async function fetchBranch(
  options: RemoteOptions,
  branch: string,
  into: string,
): Promise<string | null> {
  try {
    return await fetchRemoteBranch(options.repoPath, options.remote, branch, into, {
      token: options.token,
      runner: options.runner,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    throw new GitHubError(`Could not fetch ${branch} from ${options.remote}: ${error.stderr.trim()}`, {
      status: null,
      fields: { remote: options.remote, branch },
    });
  }
}

/**
 * A new commit on top of `parent` that sets `path` to `content` (keeping the file's mode),
 * written through a private index: no checkout, no working tree touched, no ref moved. Returns
 * its id.
 */
export async function commitFile(
  options: Pick<RemoteOptions, "repoPath" | "runner" | "signal">,
  change: {
    readonly parent: string;
    readonly path: string;
    readonly content: string;
    readonly message: string;
    readonly author: Identity;
  },
): Promise<string> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const edit = {
    kind: "write",
    path: change.path,
    content: change.content,
    modeFrom: change.parent,
  } as const;
  const tree = await editTree(options.repoPath, change.parent, [edit], { runner: options.runner, ...signal });
  const git = new Git(options.repoPath, { runner: options.runner });
  return git.commitTree(tree, [change.parent], change.message, change.author, signal);
}
