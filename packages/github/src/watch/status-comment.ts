import { GitHubError } from "../github-error.js";
import { runMarker } from "../run-marker.js";
import type { WatchApi } from "./watch-api.js";
import type { IssueRecord } from "./watch-journal.js";

/** The hidden marker of an issue's status comment. */
export function statusMarker(issue: number): string {
  return `<!-- longshot:status ${issue} -->`;
}

/** Progress of the run in flight, read from the run store. */
export interface LiveProgress {
  readonly runId: string;
  readonly text: string;
}

const phaseText: Readonly<Record<IssueRecord["phase"], string>> = {
  building: "building",
  open: "pull request open",
  merged: "merged",
  closed: "pull request closed without merging",
  failed: "failed (comment `/longshot retry` to build it again)",
};

/**
 * The status comment of an issue: what longshot is doing with it now, its pull request and
 * every run so far. It carries the run marker of the newest run, so one-shot `longshot github`
 * skips an issue the watch loop owns.
 */
export function renderStatus(record: IssueRecord, live: LiveProgress | null): string {
  const last = record.runs.at(-1);
  const lines = [statusMarker(record.number)];
  if (last !== undefined) lines.push(runMarker(last.runId));
  lines.push(`**longshot** · ${phaseText[record.phase]}`);
  if (live !== null) lines.push("", `Run \`${live.runId}\`: ${live.text}`);
  if (record.note !== "") lines.push("", record.note);
  if (record.pull !== null) lines.push("", `Pull request: #${record.pull}`);
  if (record.runs.length > 0) {
    lines.push("", "| run | for | status | cost |", "|---|---|---|---:|");
    for (const run of record.runs) {
      const purpose = run.purpose === "build" ? "the issue" : `review (${run.feedback.length} item(s))`;
      lines.push(
        `| \`${run.runId}\` | ${purpose} | ${run.status ?? "running"} | $${run.costUsd.toFixed(2)} |`,
      );
    }
  }
  if (record.merged?.capabilities === true) lines.push("", "Capabilities updated.");
  if (record.merged !== null && record.merged.filed.length > 0) {
    lines.push(
      `Gap analysis filed ${record.merged.filed.map((number) => `#${number}`).join(", ")} for approval.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Writes the status comment: edits the one the record names, else the one carrying the marker
 * (a comment created just before a crash), else creates it. Returns its id.
 */
export async function upsertStatus(
  api: WatchApi,
  record: IssueRecord,
  body: string,
  signal: AbortSignal,
): Promise<number> {
  if (record.statusCommentId !== null) {
    try {
      await api.editComment(record.statusCommentId, body, signal);
      return record.statusCommentId;
    } catch (error) {
      // Someone deleted it: write a new one.
      if (!(error instanceof GitHubError && error.status === 404)) throw error;
    }
  }
  const marker = statusMarker(record.number);
  const existing = (await api.comments(record.number, signal)).find((comment) =>
    comment.body.includes(marker),
  );
  if (existing !== undefined) {
    await api.editComment(existing.id, body, signal);
    return existing.id;
  }
  return api.comment(record.number, body, signal);
}
