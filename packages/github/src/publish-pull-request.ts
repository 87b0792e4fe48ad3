import { Git, type GitRunner, ProcessGitRunner } from "@longshot/git";
import type { GitHubClient, PullRequestResult } from "./github-client.js";
import { pushBranch } from "./push-branch.js";

/** Options of {@link publishPullRequest}. */
export interface PublishPullRequestOptions {
  readonly client: GitHubClient;
  readonly repoPath: string;
  /** Remote to push to; default `origin`. */
  readonly remote?: string;
  /** Local branch with the work (the run's integration branch). */
  readonly branch: string;
  /** Branch name on GitHub; default `branch`. A fixed name (`longshot/nightly`) keeps one pull request. */
  readonly headBranch?: string;
  /** Target branch of the pull request. */
  readonly base: string;
  readonly title: string;
  readonly body: string;
  readonly token: string;
  /** Open as a draft (for a run that did not end green). */
  readonly draft?: boolean;
  /** Overwrite the remote head branch; needed when reusing `headBranch` across runs. */
  readonly force?: boolean;
  readonly runner?: GitRunner;
  readonly signal?: AbortSignal;
}

/** A published pull request, or why there is none. */
export type PublishOutcome =
  | { readonly ok: true; readonly pullRequest: PullRequestResult }
  | { readonly ok: false; readonly reason: string };

/**
 * Pushes the run's branch (see `pushBranch`, the token never touches `.git/config`) and opens
 * or updates the pull request from it to `base`. Returns `{ ok: false }` without pushing when
 * the branch has no commit that the remote's `base` lacks, and when GitHub rejects the push.
 * Throws `GitHubError` for API or transport failures and `AbortError` on cancellation.
 */
export async function publishPullRequest(options: PublishPullRequestOptions): Promise<PublishOutcome> {
  const runner = options.runner ?? new ProcessGitRunner();
  const remote = options.remote ?? "origin";
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const git = new Git(options.repoPath, { runner });
  if (!(await hasNewCommits(git, `refs/remotes/${remote}/${options.base}`, options.branch, options.signal))) {
    return { ok: false, reason: `${options.branch} has no commits that ${remote}/${options.base} lacks` };
  }
  const headBranch = options.headBranch ?? options.branch;
  const pushed = await pushBranch({
    repoPath: options.repoPath,
    remote,
    branch: options.branch,
    remoteBranch: headBranch,
    token: options.token,
    force: options.force ?? false,
    runner,
    ...signal,
  });
  if (!pushed.ok) return { ok: false, reason: `GitHub refused the push of ${headBranch}: ${pushed.reason}` };
  const pullRequest = await options.client.openOrUpdatePullRequest({
    head: headBranch,
    base: options.base,
    title: options.title,
    body: options.body,
    draft: options.draft ?? false,
    ...signal,
  });
  return { ok: true, pullRequest };
}

/**
 * Whether `branch` has a commit that `base` lacks; true when `base` is not known locally (the
 * push decides then).
 */
async function hasNewCommits(
  git: Git,
  base: string,
  branch: string,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const options = signal === undefined ? {} : { signal };
  const known = await git.resolveCommit(base, options);
  return known === null || !(await git.isAncestor(branch, known, options));
}
