import type { Config, EmitEvent } from "@longshot/core";
import type { OpenedRun, RunResult } from "@longshot/engine";
import { connectGitHub, type GitHubConnection, publishPullRequest } from "@longshot/github";
import type { Store } from "@longshot/store";
import { landTarget } from "./land-target.js";
import { renderMarkdownReport, writeReports } from "./report/index.js";

/** Where a run's work goes when it ends: a pull request, the remote's target branch, or the local one. */
export interface RunDestination {
  /** Open or update a pull request instead of moving the target branch (`--pr`, MCP `pr`). */
  readonly pr: boolean;
  /** GIT_REPO_URL when the run works in its clone (`--repo` not given); the clone's remote is `origin`. */
  readonly remoteUrl?: string;
  /** Leave the target branch alone (issue mode publishes the branch itself). */
  readonly noLanding?: boolean;
}

/**
 * Checked before the run's first side effect: for a pull request, the GitHub connection (the
 * token stays in this process, used for the API and one push, never in a sandbox). Throws
 * `UserError` when GITHUB_TOKEN is missing or the repository has no GitHub remote.
 */
export async function prepareFinish(
  destination: RunDestination,
  context: {
    readonly config: Config;
    readonly repo: string;
    readonly env: NodeJS.ProcessEnv;
    readonly signal: AbortSignal;
  },
): Promise<GitHubConnection | null> {
  if (!destination.pr) return null;
  const { env } = context;
  return await connectGitHub({
    repoPath: context.repo,
    token: context.config.GITHUB_TOKEN,
    ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
    ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
    signal: context.signal,
  });
}

export interface FinishRunOptions {
  readonly config: Config;
  readonly repo: string;
  readonly store: Store;
  readonly stateDir: string;
  readonly runId: string;
  /** The request of the run (null when resumed: read from the store). */
  readonly request: string | null;
  readonly result: RunResult;
  readonly opened: Pick<OpenedRun, "git" | "integrationBranch" | "restoreHidden">;
  /** Where the target branch's move is recorded (`target-update`): the run's log. */
  readonly emit: EmitEvent;
  readonly destination: RunDestination;
  /** `prepareFinish`'s answer: the GitHub connection when a pull request was asked for. */
  readonly github: GitHubConnection | null;
}

/** What the end of a run did, for the user. */
export interface FinishedRun {
  /**
   * One sentence on where the work went (pull request, remote push, target branch), or null when
   * the run was interrupted, stopped or red without a pull request: the caller says how to go on.
   */
  readonly message: string | null;
  /** The Markdown report, as written to `<stateDir>/runs/<run>/report.md`. */
  readonly reportMarkdown: string;
}

/**
 * The one end of a run, for `longshot "<request>"`, `resume`, `github` and `mcp`: restores the
 * held-out tests (unless interrupted), then opens a pull request when asked (a draft unless
 * green), or, for a green run, pushes the verified commit to the remote's target branch with a
 * lease on the run's base (GIT_REPO_URL) or fast-forwards the local target branch; then writes
 * the reports. A target that moved during the run is never overwritten.
 */
export async function finishRun(options: FinishRunOptions): Promise<FinishedRun> {
  const { result, opened } = options;
  if (!result.interrupted) await opened.restoreHidden();
  const message = await deliver(options);
  return { message, reportMarkdown: writeReports(options.store, options.stateDir, options.runId) };
}

async function deliver(options: FinishRunOptions): Promise<string | null> {
  const { config, store, runId, result, opened, destination, github } = options;
  const target = config.GIT_MAIN_BRANCH;
  if (github !== null && !result.interrupted) {
    const request = options.request ?? store.getRun(runId)?.request ?? runId;
    const published = await publishPullRequest({
      client: github.client,
      repoPath: options.repo,
      branch: opened.integrationBranch,
      base: target,
      title: `longshot: ${request.split("\n")[0]!.slice(0, 100)}`,
      body: renderMarkdownReport(store, runId),
      token: config.GITHUB_TOKEN ?? "",
      draft: result.status !== "green",
    });
    return published.ok
      ? `Pull request ${published.pullRequest.created ? "opened" : "updated"}: ${published.pullRequest.url}`
      : `No pull request: ${published.reason}.`;
  }
  if (result.status !== "green" || destination.noLanding) return null;
  const { remoteUrl } = destination;
  if (remoteUrl !== undefined) {
    const base = store.getRun(runId)?.baseCommit ?? null;
    const pushed = await opened.git.push("origin", result.head, `refs/heads/${target}`, { expected: base });
    return pushed.ok
      ? `${target} on ${remoteUrl} now points at ${result.head.slice(0, 10)}.`
      : `${target} on ${remoteUrl} moved during the run (${pushed.reason}); the work is on ${opened.integrationBranch} there. To land it: git fetch origin && git merge origin/${opened.integrationBranch}`;
  }
  const landed = await landTarget({
    git: opened.git,
    result,
    integrationBranch: opened.integrationBranch,
    targetBranch: target,
    emit: options.emit,
  });
  return landed.message;
}
