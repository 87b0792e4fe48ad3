import type { ReportStore } from "../report-store.js";
import { html, type SafeHtml } from "./html.js";
import { mdCode, mdDetails, mdTable, mdText } from "./markdown.js";
import type { ReportData } from "./report-data.js";

/** One file set the merge queue resolved on its own for a landing, and by which rule. */
export interface AutoResolvedRow {
  readonly taskId: string;
  readonly attempt: number;
  readonly rule: string;
  readonly files: readonly string[];
  readonly hunks: number;
}

/** What the queue settled without the tasks, and the landings that changed nothing. */
export interface MergeNotes {
  readonly autoResolved: readonly AutoResolvedRow[];
  /** Landings whose work was already on the branch: the task is done, nothing was committed. */
  readonly noops: number;
}

/** Reads the `merge-auto-resolved` events and the no-op merges of a run. */
export function mergeNotes(store: ReportStore, data: ReportData): MergeNotes {
  const autoResolved = store.events(data.run.runId, { types: ["merge-auto-resolved"] }).flatMap((event) =>
    event.type === "merge-auto-resolved"
      ? [
          {
            taskId: event.taskId,
            attempt: event.attempt,
            rule: event.rule,
            files: event.files,
            hunks: event.hunks,
          },
        ]
      : [],
  );
  return { autoResolved, noops: data.merges.filter((merge) => merge.outcome === "no-op").length };
}

/** "3 auto-resolved · 1 with no change", or "" when there is nothing to say. */
export function mergeNotesLine(notes: MergeNotes): string {
  const parts: string[] = [];
  if (notes.autoResolved.length > 0) parts.push(`${notes.autoResolved.length} auto-resolved`);
  if (notes.noops > 0) parts.push(`${notes.noops} with no change`);
  return parts.join(" · ");
}

const maxRows = 50;

/** A Markdown section listing the conflicts the queue resolved; "" when there were none. */
export function autoResolvedMarkdown(notes: MergeNotes): string {
  if (notes.autoResolved.length === 0) return "";
  const rows = notes.autoResolved
    .slice(0, maxRows)
    .map((row) => [
      mdCode(row.taskId),
      String(row.attempt),
      mdText(row.rule),
      mdText(row.files.join(", ")),
      String(row.hunks),
    ]);
  const more = notes.autoResolved.length - maxRows;
  const table = mdTable(["Task", "Attempt", "Rule", "Files", "Hunks"], rows, ["l", "r", "l", "l", "r"]);
  const body = more > 0 ? `${table}\n\n… and ${more} more.` : table;
  return [
    "### Conflicts the merge queue resolved",
    "",
    mdText(
      "Resolved without the task (docs/decisions/0003): additions kept once each, package.json merged by key, lockfiles regenerated.",
    ),
    "",
    mdDetails(`${notes.autoResolved.length} resolved`, body),
  ].join("\n");
}

/** The same list for the HTML report; empty when there were none. */
export function autoResolvedHtml(notes: MergeNotes): SafeHtml {
  if (notes.autoResolved.length === 0) return html``;
  const rows = notes.autoResolved
    .slice(0, maxRows)
    .map(
      (row) =>
        html`<tr><td><code>${row.taskId}</code></td><td>${String(row.attempt)}</td><td>${row.rule}</td><td>${row.files.join(", ")}</td><td>${String(row.hunks)}</td></tr>`,
    );
  return html`<details class="auto-resolved"><summary>${String(notes.autoResolved.length)} conflicts resolved by the merge queue</summary><table><thead><tr><th>Task</th><th>Attempt</th><th>Rule</th><th>Files</th><th>Hunks</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}
