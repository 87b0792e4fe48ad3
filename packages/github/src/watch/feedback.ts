import type { ReviewItem } from "./watch-api.js";

/** One piece of review feedback a follow-up run addresses. */
export interface FeedbackItem {
  /** `review-<id>` or `comment-<id>`: stable across polls and restarts. */
  readonly id: string;
  readonly author: string | null;
  readonly body: string;
  readonly path: string | null;
  readonly line: number | null;
  readonly url: string | null;
  readonly changesRequested: boolean;
}

const markerPattern = /<!--\s*longshot:/;

/**
 * The review feedback on a pull request not handled yet: inline review comments, and the text
 * of reviews that request changes or comment. Approvals, dismissed and pending reviews, empty
 * bodies and longshot's own text (it carries a marker) are not feedback.
 */
export function pendingFeedback(items: readonly ReviewItem[], handled: ReadonlySet<string>): FeedbackItem[] {
  const pending: FeedbackItem[] = [];
  for (const item of items) {
    const id = `${item.kind}-${item.id}`;
    const body = item.body.trim();
    if (handled.has(id) || body === "" || markerPattern.test(body)) continue;
    if (item.kind === "review" && item.state !== "CHANGES_REQUESTED" && item.state !== "COMMENTED") continue;
    pending.push({
      id,
      author: item.author,
      body,
      path: item.path,
      line: item.line,
      url: item.url,
      changesRequested: item.state === "CHANGES_REQUESTED",
    });
  }
  return pending;
}

/** The request of a follow-up run: the feedback as numbered items, then the issue it serves. */
export function followUpRequest(
  issue: { readonly number: number; readonly title: string; readonly body: string },
  pull: number,
  feedback: readonly FeedbackItem[],
): string {
  const items = feedback.map(
    (item, index) => `${index + 1}. ${where(item)}: ${item.body.replace(/\s+/g, " ").trim()}`,
  );
  return [
    `Address the review of pull request #${pull} (issue #${issue.number}: ${issue.title})`,
    "",
    "The branch already holds the work for the issue below. Change only what the review asks for; each numbered item is one piece of feedback.",
    "",
    "## Review feedback",
    "",
    ...items,
    "",
    "## The issue",
    "",
    issue.title,
    "",
    issue.body.trim(),
  ]
    .join("\n")
    .trimEnd();
}

/** The hidden marker of a reply, naming the run it reports. */
export function replyMarker(runId: string): string {
  return `<!-- longshot:reply ${runId} -->`;
}

/** What longshot answers the reviewers after a follow-up run. */
export function replyText(options: {
  readonly runId: string;
  readonly status: string;
  readonly feedback: readonly FeedbackItem[];
  readonly commits: readonly string[];
  readonly tasks: readonly { readonly title: string; readonly summary: string }[];
  readonly problem: string | null;
}): string {
  const people = [
    ...new Set(options.feedback.map((item) => item.author).filter((author) => author !== null)),
  ];
  const greeting = people.length > 0 ? `${people.map((person) => `@${person}`).join(" ")}: ` : "";
  const lines = [replyMarker(options.runId)];
  if (options.status === "green" && options.problem === null) {
    lines.push(
      `${greeting}addressed in run \`${options.runId}\` (${options.commits.length} commit(s) pushed to this pull request).`,
    );
  } else {
    lines.push(
      `${greeting}run \`${options.runId}\` could not address this review (${options.problem ?? `it ended ${options.status}`}); nothing was pushed. Comment again to have it retried.`,
    );
  }
  lines.push(
    "",
    "**Feedback**",
    "",
    ...options.feedback.map((item, index) => `${index + 1}. ${where(item)}: ${quote(item.body)}`),
  );
  if (options.tasks.length > 0) {
    lines.push(
      "",
      "**What changed**",
      "",
      ...options.tasks.map(
        (task) =>
          `- ${task.title}${task.summary.trim() === "" ? "" : ` — ${task.summary.replace(/\s+/g, " ").trim()}`}`,
      ),
    );
  }
  if (options.commits.length > 0)
    lines.push("", "**Commits**", "", ...options.commits.map((commit) => `- ${commit}`));
  return `${lines.join("\n")}\n`;
}

function where(item: FeedbackItem): string {
  const who = item.author === null ? "a reviewer" : `@${item.author}`;
  const place = item.path === null ? "" : ` on ${item.path}${item.line === null ? "" : ` line ${item.line}`}`;
  return `${who}${place}${item.changesRequested ? " (changes requested)" : ""}`;
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return `“${flat.length > 200 ? `${flat.slice(0, 197)}…` : flat}”`;
}
