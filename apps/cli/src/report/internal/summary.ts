import type { HealthCheck, RunStatus } from "@longshot/core";
import type { RunSummary } from "@longshot/store";
import { formatDuration, shortSha } from "./format.js";

/** Task counts as reports state them. */
export interface TaskCounts {
  readonly total: number;
  readonly landed: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly split: number;
  /** Landed, then undone by the reconciler, and not landed again. */
  readonly reverted: number;
  /** pending, ready, running, review or merging. */
  readonly open: number;
}

export function taskCounts(run: RunSummary): TaskCounts {
  const tasks = run.tasks;
  return {
    total: run.taskTotal,
    landed: tasks.landed,
    failed: tasks.failed,
    cancelled: tasks.cancelled,
    split: tasks.split,
    reverted: tasks.reverted,
    open: tasks.pending + tasks.ready + tasks.running + tasks.review + tasks.merging,
  };
}

/** "6 of 8 landed · 0 failed · 2 cancelled", plus split and open tasks when there are any. */
export function taskCountsLine(run: RunSummary): string {
  const counts = taskCounts(run);
  const parts = [
    `${counts.landed} of ${counts.total} landed`,
    `${counts.failed} failed`,
    `${counts.cancelled} cancelled`,
  ];
  if (counts.reverted > 0) parts.push(`${counts.reverted} reverted`);
  if (counts.split > 0) parts.push(`${counts.split} split`);
  if (counts.open > 0) parts.push(`${counts.open} open`);
  return parts.join(" · ");
}

/**
 * Where the work is and whether the target moved, as the run recorded it: "longshot/r1/integration
 * at 3f2a9c1b7d; main fast-forwarded to 3f2a9c1b7d", or "…; main not updated". A report never
 * says the target is somewhere it was not moved to. `code` formats a branch or commit.
 */
export function branchText(
  run: RunSummary,
  target: { readonly landed: boolean; readonly sha: string | null } | null,
  code: (text: string) => string = (text) => text,
): string {
  const where = `${code(run.integrationBranch)}${run.head ? ` at ${code(shortSha(run.head))}` : ""}`;
  const moved =
    target?.landed === true && target.sha !== null
      ? `${code(run.targetBranch)} fast-forwarded to ${code(shortSha(target.sha))}`
      : `${code(run.targetBranch)} not updated`;
  return `${where}; ${moved}`;
}

export function mergesLine(run: RunSummary): string {
  const { landed, conflicts, reverted } = run.merges;
  return `${landed} landed · ${plural(conflicts, "conflict")} · ${reverted} reverted`;
}

/** How long the run took, or has taken so far (to its last recorded event). */
export function runDuration(run: RunSummary): number {
  return (run.endedAt ?? run.updatedAt) - run.startedAt;
}

export function runDurationText(run: RunSummary): string {
  const text = formatDuration(runDuration(run));
  return run.endedAt === null ? `${text} so far` : text;
}

const statusIcons: Readonly<Record<RunStatus, string>> = {
  green: "✅",
  red: "❌",
  failed: "❌",
  stopped: "⏹️",
  running: "🔄",
  paused: "⏸️",
  draining: "⏳",
};

export function statusIcon(status: RunStatus): string {
  return statusIcons[status];
}

/** "8 passed, 1 failed, 2 skipped" (zeros left out), or null when the check counts no tests. */
export function countsText(check: HealthCheck): string | null {
  if (!check.counts) return null;
  const { passed, failed, skipped } = check.counts;
  const parts = [`${passed} passed`];
  if (failed > 0) parts.push(`${failed} failed`);
  if (skipped > 0) parts.push(`${skipped} skipped`);
  return parts.join(", ");
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
