import { AbortError, type Logger, messageOf, silentLogger, throwIfAborted } from "@longshot/core";
import type { PushOutcome } from "@longshot/git";
import { fileGapIssue, type GapFiling, type ProposeIssue } from "./file-gap-issue.js";
import type { GitHubClient, IssueSummary, PullRequestResult } from "./github-client.js";
import { linkPullRequestToIssue } from "./link-pull-request-to-issue.js";
import { findRunMarker, runMarker } from "./run-marker.js";

/** How a run started for an issue ended. */
export interface IssueRunResult {
  readonly runId: string;
  /** The run's final status (`green`, `red`, `stopped`, `failed`). */
  readonly status: string;
  /** The run's Markdown report (pull request body and final issue comment). */
  readonly reportMarkdown: string;
  /** The branch with the run's work (its integration branch), or null when there is none. */
  readonly branch: string | null;
}

/** What issue mode hands to {@link StartIssueRun}. */
export interface IssueRunContext {
  readonly signal: AbortSignal;
  /** Call once the run has an id: comments on the issue that the run started. */
  readonly started: (runId: string) => Promise<void>;
}

/** Runs longshot on `request` (the issue's title and body) to the end. */
export type StartIssueRun = (
  request: string,
  issue: IssueSummary,
  context: IssueRunContext,
) => Promise<IssueRunResult>;

/** Landing through pull requests in issue mode. */
export interface IssuePullRequestOptions {
  /** The branch pull requests target (GIT_MAIN_BRANCH). */
  readonly base: string;
  /** Pushes the run's branch to GitHub (see `pushBranch`). */
  readonly push: (branch: string, signal: AbortSignal) => Promise<PushOutcome>;
  /** Also open a draft pull request for a run that did not end green; default false. */
  readonly draftWhenRed?: boolean;
}

/** Options of {@link runIssueMode}. */
export interface IssueModeOptions {
  readonly client: GitHubClient;
  /** Open issues carrying this label become requests. */
  readonly label: string;
  readonly startRun: StartIssueRun;
  /** Open a pull request (closing the issue) for each run; without it runs only comment. */
  readonly pullRequest?: IssuePullRequestOptions;
  /** File the next issue from a gap analysis when no labeled issue is waiting. */
  readonly gap?: { readonly goal: string; readonly capabilities: string; readonly propose: ProposeIssue };
  /** Most issues to build in this cycle; default all that are waiting. */
  readonly maxIssues?: number;
  readonly logger?: Logger;
  readonly signal: AbortSignal;
}

/** What happened to one issue in a cycle. */
export interface HandledIssue {
  readonly issue: IssueSummary;
  /** The run's id, or null when it failed before it had one. */
  readonly runId: string | null;
  /** The run's final status, or `error` when starting or running it threw. */
  readonly status: string;
  readonly pullRequest: PullRequestResult | null;
  /** Why it failed, for status `error` or a refused push. */
  readonly problem: string | null;
}

/** What one cycle of issue mode did. */
export interface IssueModeResult {
  /** The gap-analysis outcome, or null when no gap analysis ran. */
  readonly gap: GapFiling | null;
  readonly handled: readonly HandledIssue[];
  /** Issues skipped because a comment shows an earlier run (its id). */
  readonly skipped: readonly { readonly issue: IssueSummary; readonly runId: string }[];
}

/**
 * One cycle of issue-driven mode. Lists open issues carrying `label`, skips those with a
 * longshot marker comment (already handled), optionally files one issue from a gap analysis
 * when none is waiting, then builds each waiting issue in turn (oldest first): comments when
 * the run starts (with its id), runs it through `startRun`, pushes the branch and opens or
 * updates a pull request that closes the issue, and comments the final report. A run that
 * throws is reported on its issue and the cycle goes on; cancellation throws `AbortError`.
 */
export async function runIssueMode(options: IssueModeOptions): Promise<IssueModeResult> {
  const logger = options.logger ?? silentLogger();
  const { waiting, skipped } = await partition(options);
  let gap: GapFiling | null = null;
  if (options.gap !== undefined && waiting.length === 0) {
    gap = await fileGapIssue({
      ...options.gap,
      client: options.client,
      label: options.label,
      signal: options.signal,
    });
    logger.info({ gap: gap.kind }, "gap analysis");
    if (gap.kind === "filed") waiting.push(gap.issue);
  }
  const handled: HandledIssue[] = [];
  for (const issue of waiting.slice(0, options.maxIssues ?? waiting.length)) {
    throwIfAborted(options.signal);
    logger.info({ issue: issue.number }, "building issue");
    handled.push(await buildIssue(options, issue));
  }
  return { gap, handled, skipped };
}

async function partition(
  options: IssueModeOptions,
): Promise<{ waiting: IssueSummary[]; skipped: { issue: IssueSummary; runId: string }[] }> {
  const issues = await options.client.listLabeledIssues(options.label, { signal: options.signal });
  const waiting: IssueSummary[] = [];
  const skipped: { issue: IssueSummary; runId: string }[] = [];
  for (const issue of issues) {
    const comments = await options.client.listIssueComments(issue.number, { signal: options.signal });
    const runId = comments.map((comment) => findRunMarker(comment.body)).find((id) => id !== null);
    if (runId === undefined || runId === null) waiting.push(issue);
    else skipped.push({ issue, runId });
  }
  return { waiting, skipped };
}

async function buildIssue(options: IssueModeOptions, issue: IssueSummary): Promise<HandledIssue> {
  const { client, signal } = options;
  let runId: string | null = null;
  const started = async (id: string): Promise<void> => {
    if (runId !== null) return;
    runId = id;
    await client.commentOnIssue(
      issue.number,
      `${runMarker(id)}\nlongshot started run \`${id}\` for this issue; the report follows when it ends.`,
      { signal },
    );
  };
  let result: IssueRunResult;
  try {
    result = await options.startRun(requestFor(issue), issue, { signal, started });
  } catch (error) {
    if (error instanceof AbortError || signal.aborted) throw error;
    const problem = messageOf(error);
    const marker = runMarker(runId ?? "none");
    await client.commentOnIssue(issue.number, `${marker}\nlongshot could not build this issue: ${problem}`, {
      signal,
    });
    return { issue, runId, status: "error", pullRequest: null, problem };
  }
  const landing = await land(options, issue, result);
  await client.commentOnIssue(issue.number, finalComment(result, landing), { signal });
  return { issue, runId: result.runId, status: result.status, ...landing };
}

async function land(
  options: IssueModeOptions,
  issue: IssueSummary,
  result: IssueRunResult,
): Promise<{ pullRequest: PullRequestResult | null; problem: string | null }> {
  const pull = options.pullRequest;
  const green = result.status === "green";
  if (pull === undefined || result.branch === null || !(green || pull.draftWhenRed === true)) {
    return { pullRequest: null, problem: null };
  }
  const pushed = await pull.push(result.branch, options.signal);
  if (!pushed.ok)
    return { pullRequest: null, problem: `GitHub refused the push of ${result.branch}: ${pushed.reason}` };
  const pullRequest = await options.client.openOrUpdatePullRequest({
    head: result.branch,
    base: pull.base,
    title: issue.title,
    body: linkPullRequestToIssue(result.reportMarkdown, issue.number),
    draft: !green,
    signal: options.signal,
  });
  return { pullRequest, problem: null };
}

/** The request a run gets for an issue: its title, then its body. */
export function requestFor(issue: Pick<IssueSummary, "title" | "body">): string {
  const body = issue.body.trim();
  return body === "" ? issue.title : `${issue.title}\n\n${body}`;
}

function finalComment(
  result: IssueRunResult,
  landing: { pullRequest: PullRequestResult | null; problem: string | null },
): string {
  const lines = [runMarker(result.runId), `longshot run \`${result.runId}\` ended **${result.status}**.`];
  if (landing.pullRequest !== null) lines.push(`Pull request: #${landing.pullRequest.number}`);
  if (landing.problem !== null) lines.push(landing.problem);
  lines.push("", result.reportMarkdown.trim());
  return `${lines.join("\n")}\n`;
}
