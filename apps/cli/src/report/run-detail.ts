import type { CostRow } from "@longshot/store";
import {
  clip,
  formatDuration,
  formatTimestamp,
  formatTokens,
  formatUsd,
  oneLine,
  shortSha,
  totalTokens,
} from "./internal/format.js";
import { collectReport, type ReportData } from "./internal/report-data.js";
import {
  branchText,
  countsText,
  mergesLine,
  plural,
  runDurationText,
  taskCountsLine,
} from "./internal/summary.js";
import { textTable } from "./internal/text-table.js";
import type { ReportStore } from "./report-store.js";

export interface RunDetailOptions {
  /** IANA time zone for timestamps; default UTC. */
  readonly timeZone?: string;
  /** Line width to fit; default 100. */
  readonly width?: number;
}

/**
 * One run in plain text for `longshot show <run>`: the summary, every task, the attempts of
 * tasks that took more than one, merges and costs. No colour (the caller adds it). Throws
 * UserError for an unknown run.
 */
export function renderRunDetail(store: ReportStore, runId: string, options: RunDetailOptions = {}): string {
  const data = collectReport(store, runId);
  const timeZone = options.timeZone ?? "UTC";
  const width = options.width ?? 100;
  const sections = [
    summary(data, timeZone, width),
    tasks(data, width),
    retries(data, width),
    merges(data, timeZone, width),
    costs(data, width),
  ].filter((lines) => lines.length > 0);
  return `${sections.map((lines) => lines.join("\n")).join("\n\n")}\n`;
}

function summary(data: ReportData, timeZone: string, width: number): string[] {
  const { run } = data;
  const field = (name: string, value: string) => `${name.padEnd(9)} ${oneLine(value, width - 10)}`;
  const lines = [
    oneLine(`Run ${run.runId}: ${run.status}${run.reason ? ` — ${run.reason}` : ""}`, width),
    field("Request", run.request),
    field("Started", `${formatTimestamp(run.startedAt, timeZone)} ${timeZone}, ${runDurationText(run)}`),
    field("Branch", branchText(run, data.target)),
    field("Tasks", taskCountsLine(run)),
    field("Merges", mergesLine(run)),
    field("Health", healthText(data)),
    field(
      "Cost",
      `${formatUsd(run.costUsd)}, ${formatTokens(totalTokens(run.usage))} tokens, ${plural(run.modelCalls, "model call")}`,
    ),
  ];
  const target = data.target;
  if (target && !target.landed && target.command) lines.push(field("Land", target.command));
  for (const check of data.run.lastHealth?.checks.filter((item) => !item.ok) ?? []) {
    lines.push("", oneLine(`Failing check ${check.name}: ${check.command}`, width));
    if (check.excerpt.trim())
      lines.push(
        ...clip(check.excerpt, 8, 800)
          .split("\n")
          .map((line) => `  ${oneLine(line, width - 2)}`),
      );
  }
  return lines;
}

function healthText(data: ReportData): string {
  const last = data.run.lastHealth;
  if (!last) return "no health check ran";
  const checks = last.checks.map((check) => {
    const counts = countsText(check);
    return `${check.name} ${check.ok ? "ok" : "FAILED"}${counts ? ` (${counts})` : ""}`;
  });
  return `${last.green ? "green" : "red"} at ${shortSha(last.commit)}: ${checks.join(", ")}`;
}

function tasks(data: ReportData, width: number): string[] {
  if (data.tasks.length === 0) return ["No tasks yet."];
  const reasons = new Map(data.failedTasks.map((failed) => [failed.task.id, failed.reason]));
  const rows = data.tasks.map((task) => {
    const reason = reasons.get(task.id);
    return [
      task.id,
      task.state,
      task.kind,
      String(task.attempts),
      reason ? `${task.title} (${reason})` : task.title,
    ];
  });
  const table = textTable(
    [
      { header: "TASK" },
      { header: "STATE" },
      { header: "KIND" },
      { header: "ATTEMPTS", align: "right" },
      { header: "TITLE", flex: true },
    ],
    rows,
    width,
  );
  return [`Tasks (${data.tasks.length})`, ...table];
}

function retries(data: ReportData, width: number): string[] {
  const retried = data.attempts.filter((attempt) => attempt.task.attempts > 1);
  if (retried.length === 0) return [];
  const ordered = [...retried].sort(
    (left, right) => left.task.id.localeCompare(right.task.id) || left.record.number - right.record.number,
  );
  const rows = ordered.map((attempt) => [
    attempt.task.id,
    String(attempt.record.number),
    attempt.record.model,
    attempt.result,
    formatDuration(attempt.end - attempt.start),
    attempt.why ?? "",
  ]);
  const table = textTable(
    [
      { header: "TASK" },
      { header: "#", align: "right" },
      { header: "MODEL", max: 24 },
      { header: "RESULT" },
      { header: "TIME", align: "right" },
      { header: "WHY", flex: true },
    ],
    rows,
    width,
  );
  return ["Attempts of retried tasks", ...table];
}

function merges(data: ReportData, timeZone: string, width: number): string[] {
  if (data.merges.length === 0) return [];
  const rows = data.merges.map((merge) => [
    formatTimestamp(merge.at, timeZone).slice(11),
    merge.taskId,
    String(merge.attempt),
    merge.revertedBy ? "reverted" : merge.outcome,
    shortSha(merge.sha),
    merge.revertedBy
      ? `reverted by ${shortSha(merge.revertedBy)}: ${merge.revertReason ?? ""}`
      : merge.files.join(", "),
  ]);
  const table = textTable(
    [
      { header: "TIME" },
      { header: "TASK" },
      { header: "#", align: "right" },
      { header: "OUTCOME" },
      { header: "COMMIT" },
      { header: "DETAIL", flex: true },
    ],
    rows,
    width,
  );
  return [`Merges (${mergesLine(data.run)})`, ...table];
}

function costs(data: ReportData, width: number): string[] {
  const row = (key: string, cost: CostRow | null) => [
    key,
    String(cost?.calls ?? data.run.modelCalls),
    formatTokens(cost?.usage.promptTokens ?? data.run.usage.promptTokens),
    formatTokens(cost?.usage.completionTokens ?? data.run.usage.completionTokens),
    formatTokens(cost?.usage.cachedTokens ?? data.run.usage.cachedTokens),
    formatUsd(cost?.costUsd ?? data.run.costUsd),
  ];
  const columns = ["CALLS", "PROMPT", "COMPLETION", "CACHED", "COST"].map((header) => ({
    header,
    align: "right" as const,
  }));
  const byRole = textTable(
    [{ header: "ROLE", max: 30 }, ...columns],
    [...data.costByRole.map((cost) => row(cost.key, cost)), row("total", null)],
    width,
  );
  const byModel = textTable(
    [{ header: "MODEL", max: 40 }, ...columns],
    data.costByModel.map((cost) => row(cost.key, cost)),
    width,
  );
  return ["Cost by role", ...byRole, "", "Cost by model", ...byModel];
}
