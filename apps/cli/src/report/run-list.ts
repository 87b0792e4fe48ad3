import { formatTimestamp, formatUsd } from "./internal/format.js";
import { runDurationText } from "./internal/summary.js";
import { textTable } from "./internal/text-table.js";
import type { ReportStore } from "./report-store.js";

export interface RunListOptions {
  /** IANA time zone for start times; default UTC. */
  readonly timeZone?: string;
  /** Line width to fit; default 100. */
  readonly width?: number;
}

/**
 * The runs recorded in the store, newest first, for `longshot runs`: id, status, start time,
 * duration, tasks landed of total, cost and the request, in aligned plain-text columns (no
 * colour). Says so in one line when there are no runs.
 */
export function renderRunList(store: Pick<ReportStore, "listRuns">, options: RunListOptions = {}): string {
  const runs = store.listRuns();
  if (runs.length === 0) return 'No runs yet. Start one with `longshot "Build per SPEC.md"`.\n';
  const timeZone = options.timeZone ?? "UTC";
  const rows = runs.map((run) => [
    run.runId,
    run.status,
    formatTimestamp(run.startedAt, timeZone, false),
    runDurationText(run),
    `${run.tasks.landed}/${run.taskTotal}`,
    formatUsd(run.costUsd),
    run.request,
  ]);
  const lines = textTable(
    [
      { header: "RUN", max: 24 },
      { header: "STATUS" },
      { header: "STARTED" },
      { header: "DURATION", align: "right" },
      { header: "TASKS", align: "right" },
      { header: "COST", align: "right" },
      { header: "REQUEST", flex: true },
    ],
    rows,
    options.width ?? 100,
  );
  return `${lines.join("\n")}\n`;
}
