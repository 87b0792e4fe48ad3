import { createHash } from "node:crypto";
import type { GitHubClient, IssueSummary } from "../github-client.js";
import type { GapAnalysisProposal, GapTask } from "../issue-from-gap-analysis.js";

/** The hidden marker of an issue filed by the gap analysis that followed pull request `pull`. */
export function gapMarker(title: string, pull: number): string {
  return `<!-- longshot:gap pr-${pull} ${createHash("sha256").update(normalize(title)).digest("hex").slice(0, 16)} -->`;
}

/**
 * The passage of the goal a gap is about: the paragraph or list item sharing the most words
 * with the gap's text (ties: the first). Always a real quote of the goal, never model text.
 */
export function goalExcerpt(goal: string, about: string, maxChars = 600): string {
  const wanted = new Set(words(about));
  const blocks = goal
    .split(/\n\s*\n|\n(?=\s*[-*] |\s*\d+\. |#)/)
    .map((block) => block.trim())
    // A heading alone says too little to quote.
    .filter((block) => block !== "" && !(/^#+\s/.test(block) && !block.includes("\n")));
  let best = "";
  let score = -1;
  for (const block of blocks) {
    const overlap = new Set(words(block).filter((word) => wanted.has(word))).size;
    if (overlap > score) {
      best = block;
      score = overlap;
    }
  }
  return best.length > maxChars ? `${best.slice(0, maxChars - 1)}…` : best;
}

/** The fixed body of a gap issue: goal excerpt, gap, acceptance criteria, how to approve it. */
export function gapIssueBody(options: {
  readonly excerpt: string;
  readonly goalPath: string;
  readonly gap: string;
  readonly acceptance: readonly string[];
  readonly pull: number;
  readonly buildLabel: string;
  readonly title: string;
}): string {
  const quoted = options.excerpt
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
  const acceptance =
    options.acceptance.length > 0
      ? options.acceptance.map((line) => `- [ ] ${line}`)
      : ["- [ ] (none proposed: add some before approving)"];
  return [
    "## Goal excerpt",
    "",
    `From \`${options.goalPath}\`:`,
    "",
    quoted,
    "",
    "## Gap",
    "",
    options.gap.trim(),
    "",
    "## Acceptance criteria",
    "",
    ...acceptance,
    "",
    `<sub>Filed by longshot's gap analysis after #${options.pull} was merged. Add the \`${options.buildLabel}\` label to have it built.</sub>`,
    gapMarker(options.title, options.pull),
    "",
  ].join("\n");
}

/** The proposals a gap analysis files first: tasks that depend on no other proposal, by priority. */
export function rankGapTasks(analysis: GapAnalysisProposal): GapTask[] {
  const keys = new Set(analysis.tasks.map((task) => task.key));
  const independent = (task: GapTask): boolean => !(task.spec.dependsOn ?? []).some((key) => keys.has(key));
  return [...analysis.tasks].sort(
    (left, right) =>
      Number(independent(right)) - Number(independent(left)) ||
      (right.spec.priority ?? 50) - (left.spec.priority ?? 50),
  );
}

/** Options of {@link fileGapIssues}. */
export interface FileGapIssuesOptions {
  readonly client: GitHubClient;
  readonly analysis: GapAnalysisProposal;
  readonly goal: string;
  readonly goalPath: string;
  /** Most issues to file (GITHUB_MAX_GAP_ISSUES). */
  readonly max: number;
  /** Label the new issues carry: a person approves one by adding the build label. */
  readonly approvalLabel: string;
  readonly buildLabel: string;
  /** The pull request whose merge prompted the analysis. */
  readonly pull: number;
  readonly signal: AbortSignal;
}

/**
 * Files at most `max` issues from a gap analysis with the fixed template, labelled for approval
 * (never with the build label). A proposal whose title an open issue already has is skipped, and
 * issues this pull request's analysis filed before (a step retried after a crash) count towards
 * `max`, so nothing is filed twice. Returns every issue filed for this pull request (earlier
 * ones included) and the titles skipped.
 */
export async function fileGapIssues(
  options: FileGapIssuesOptions,
): Promise<{ readonly filed: readonly IssueSummary[]; readonly skipped: readonly string[] }> {
  const open = await options.client.listOpenIssues({ signal: options.signal });
  const taken = new Set(open.map((issue) => normalize(issue.title)));
  const earlier = open.filter((issue) => issue.body.includes(`<!-- longshot:gap pr-${options.pull} `));
  const filed: IssueSummary[] = [...earlier];
  const skipped: string[] = [];
  for (const task of rankGapTasks(options.analysis)) {
    if (filed.length >= options.max) break;
    const title = task.spec.title.trim();
    if (taken.has(normalize(title))) {
      skipped.push(title);
      continue;
    }
    const body = gapIssueBody({
      excerpt: goalExcerpt(
        options.goal,
        `${title}\n${task.spec.description}\n${(task.spec.acceptance ?? []).join("\n")}`,
      ),
      goalPath: options.goalPath,
      gap: task.spec.description,
      acceptance: task.spec.acceptance ?? [],
      pull: options.pull,
      buildLabel: options.buildLabel,
      title,
    });
    filed.push(
      await options.client.createIssue({
        title,
        body,
        labels: [options.approvalLabel],
        signal: options.signal,
      }),
    );
    taken.add(normalize(title));
  }
  return { filed, skipped };
}

function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []).filter((word) => !stopWords.has(word));
}

const stopWords = new Set([
  "the",
  "and",
  "for",
  "with",
  "that",
  "this",
  "from",
  "are",
  "must",
  "should",
  "each",
  "every",
  "into",
  "when",
]);

function normalize(title: string): string {
  return title.trim().replace(/\s+/g, " ").toLowerCase();
}
