import type { ReportStore } from "../report-store.js";
import { formatTokens } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { mdTable, mdText } from "./markdown.js";

/** One way conflicts were answered in a run, with what it took. */
export interface ConflictPath {
  readonly path: string;
  /** Conflicts (or landings, for the queue's rules) this path settled. */
  readonly resolved: number;
  /** Times it was tried (the resolution step may fail and hand over to a re-run). */
  readonly tried: number;
  readonly hunks: number;
  /** Prompt plus completion tokens. */
  readonly tokens: number;
}

/** Conflicts the queue sent back, and every path that answered one. */
export interface ConflictPaths {
  readonly conflicts: number;
  readonly paths: readonly ConflictPath[];
}

const ruleNames = {
  "union-of-additions": "queue: union of additions",
  "json-manifest": "queue: package.json by key",
  "lockfile-regenerated": "queue: lockfile regenerated",
} as const;

/**
 * Reads how a run's conflicts were answered: the merge queue's rules (`merge-auto-resolved`),
 * the resolution step on hunks and the re-runs (`conflict-resolution`), with their tokens.
 */
export function conflictPaths(store: ReportStore, runId: string): ConflictPaths {
  const events = store.events(runId, {
    types: ["merge-conflict", "merge-auto-resolved", "conflict-resolution"],
  });
  const rows = new Map<string, { resolved: number; tried: number; hunks: number; tokens: number }>();
  const row = (path: string) => {
    const existing = rows.get(path) ?? { resolved: 0, tried: 0, hunks: 0, tokens: 0 };
    rows.set(path, existing);
    return existing;
  };
  let conflicts = 0;
  for (const event of events) {
    if (event.type === "merge-conflict") conflicts += 1;
    else if (event.type === "merge-auto-resolved") {
      const entry = row(ruleNames[event.rule]);
      entry.resolved += 1;
      entry.tried += 1;
      entry.hunks += event.hunks;
    } else if (event.type === "conflict-resolution") {
      const entry = row(event.method === "hunks" ? "model on the conflicted hunks" : "re-run of the task");
      entry.tried += 1;
      if (event.ok) entry.resolved += 1;
      entry.hunks += event.hunks;
      entry.tokens += event.usage.promptTokens + event.usage.completionTokens;
    }
  }
  return { conflicts, paths: [...rows].map(([path, entry]) => ({ path, ...entry })) };
}

/** The Markdown section: one row per path; "" when no conflict was answered. */
export function conflictPathsMarkdown(paths: ConflictPaths): string {
  if (paths.paths.length === 0) return "";
  const tokens = paths.paths.reduce((sum, path) => sum + path.tokens, 0);
  const table = mdTable(
    ["Path", "Resolved", "Tried", "Hunks", "Tokens"],
    paths.paths.map((path) => [
      mdText(path.path),
      String(path.resolved),
      String(path.tried),
      String(path.hunks),
      formatTokens(path.tokens),
    ]),
    ["l", "r", "r", "r", "r"],
  );
  return [
    "### How conflicts were resolved",
    "",
    mdText(
      `${paths.conflicts} conflicts went back from the merge queue; ${formatTokens(tokens)} tokens were spent answering them. A re-run counts as resolved when it handed off new work.`,
    ),
    "",
    table,
  ].join("\n");
}

/** The same table for the HTML report; empty when no conflict was answered. */
export function conflictPathsHtml(paths: ConflictPaths): SafeHtml {
  if (paths.paths.length === 0) return html``;
  const tokens = paths.paths.reduce((sum, path) => sum + path.tokens, 0);
  const rows = paths.paths.map(
    (path) =>
      html`<tr><td>${path.path}</td><td>${String(path.resolved)}</td><td>${String(path.tried)}</td><td>${String(path.hunks)}</td><td>${formatTokens(path.tokens)}</td></tr>`,
  );
  return html`<h3>How conflicts were resolved</h3><p class="note">${String(paths.conflicts)} conflicts went back from the merge queue; ${formatTokens(tokens)} tokens were spent answering them.</p><table class="conflict-paths"><thead><tr><th>Path</th><th>Resolved</th><th>Tried</th><th>Hunks</th><th>Tokens</th></tr></thead><tbody>${rows}</tbody></table>`;
}
