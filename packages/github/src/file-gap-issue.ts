import { throwIfAborted } from "@longshot/core";
import type { GitHubClient, IssueSummary } from "./github-client.js";

/** An issue a gap analysis wants filed. */
export interface IssueProposal {
  readonly title: string;
  readonly body: string;
}

/**
 * Compares a goal document with a capabilities document and proposes what is missing, or null
 * when nothing is.
 */
export type ProposeFromGoal<Proposal> = (
  goal: string,
  capabilities: string,
  signal: AbortSignal,
) => Promise<Proposal | null>;

/**
 * Proposes the next issue from goal and capabilities. The CLI plugs the planner's `gapAnalysis`
 * in here (see {@link issueFromGapAnalysis}).
 */
export type ProposeIssue = ProposeFromGoal<IssueProposal>;

/** Options of {@link fileGapIssue}. */
export interface FileGapIssueOptions {
  readonly client: GitHubClient;
  /** Label the new issue carries, so issue mode picks it up. */
  readonly label: string;
  /** The goal document's text. */
  readonly goal: string;
  /** The capabilities document's text. */
  readonly capabilities: string;
  readonly propose: ProposeIssue;
  readonly signal: AbortSignal;
}

/** What one gap-analysis cycle did. */
export type GapFiling =
  | { readonly kind: "filed"; readonly issue: IssueSummary }
  | { readonly kind: "duplicate"; readonly issue: IssueSummary }
  | { readonly kind: "no-gap" };

/**
 * One gap-analysis cycle: asks `propose` for the next issue and files it with `label`. Files
 * at most one issue per call, and none when an open issue already has the same title (case
 * and surrounding spaces ignored). Throws what `propose` or the client throws.
 */
export async function fileGapIssue(options: FileGapIssueOptions): Promise<GapFiling> {
  throwIfAborted(options.signal);
  const proposal = await options.propose(options.goal, options.capabilities, options.signal);
  if (proposal === null || proposal.title.trim() === "") return { kind: "no-gap" };
  const title = proposal.title.trim();
  const open = await options.client.listOpenIssues({ signal: options.signal });
  const same = open.find((issue) => normalize(issue.title) === normalize(title));
  if (same !== undefined) return { kind: "duplicate", issue: same };
  const body = `${proposal.body.trimEnd()}\n\n_Filed by longshot's gap analysis of the goal and capabilities documents._\n`;
  const issue = await options.client.createIssue({
    title,
    body,
    labels: [options.label],
    signal: options.signal,
  });
  return { kind: "filed", issue };
}

function normalize(title: string): string {
  return title.trim().replace(/\s+/g, " ").toLowerCase();
}
