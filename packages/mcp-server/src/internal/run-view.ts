import type { RunStatus, TaskState } from "@longshot/core";
import type { CostRow, RunSummary, Store } from "@longshot/store";
import type { LiveRun, RunEnding } from "../run-service.js";

const endedStatuses: readonly RunStatus[] = ["green", "red", "stopped", "failed"];

/** Whether a run status is final (a resumed run starts over as `running`). */
export function isEnded(status: RunStatus): boolean {
  return endedStatuses.includes(status);
}

/** Milliseconds since the epoch as an ISO timestamp, or null. */
export function iso(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}

/** Task counts grouped the way people read progress. */
export function progressOf(tasks: Readonly<Record<TaskState, number>>) {
  const total = Object.values(tasks).reduce((sum, count) => sum + count, 0);
  const settled = tasks.landed + tasks.failed + tasks.reverted + tasks.cancelled + tasks.split;
  return {
    total,
    settled,
    landed: tasks.landed,
    failed: tasks.failed,
    reverted: tasks.reverted,
    cancelled: tasks.cancelled,
    active: tasks.running + tasks.review + tasks.merging,
    waiting: tasks.pending + tasks.ready,
    percent: total === 0 ? 0 : Math.round((settled / total) * 100),
    byState: tasks,
  };
}

/** One line a person can read: where a run stands. */
export function progressLine(tasks: Readonly<Record<TaskState, number>>): string {
  const progress = progressOf(tasks);
  return (
    `${progress.settled} of ${progress.total} tasks settled (${progress.landed} landed, ` +
    `${progress.failed} failed, ${progress.reverted > 0 ? `${progress.reverted} reverted, ` : ""}` +
    `${progress.cancelled} cancelled), ${progress.active} active, ${progress.waiting} waiting`
  );
}

function roleCost(row: CostRow): Record<string, unknown> {
  return {
    role: row.key,
    calls: row.calls,
    usd: row.costUsd,
    tokens: row.usage.promptTokens + row.usage.completionTokens,
  };
}

/** A run as get_run, wait_run and the control tools report it. */
export function runView(
  summary: RunSummary,
  store: Store,
  live: LiveRun | null,
  ending: RunEnding | null,
): Record<string, unknown> {
  const usage = summary.usage;
  const isLive = live !== null && !isEnded(summary.status);
  const health = summary.lastHealth;
  return {
    runId: summary.runId,
    repo: summary.repo,
    request: summary.request,
    status: summary.status,
    live: isLive,
    reason: summary.reason,
    progress: progressOf(summary.tasks),
    cost: {
      usd: summary.costUsd,
      modelCalls: summary.modelCalls,
      byRole: store.costByRole(summary.runId).map(roleCost),
    },
    tokens: {
      prompt: usage.promptTokens,
      completion: usage.completionTokens,
      cached: usage.cachedTokens,
      total: usage.promptTokens + usage.completionTokens,
    },
    merges: summary.merges,
    health: health
      ? {
          commit: health.commit,
          green: health.green,
          at: iso(health.at),
          checks: health.checks.map((check) => ({
            name: check.name,
            ok: check.ok,
            counts: check.counts,
            durationMs: check.durationMs,
          })),
        }
      : null,
    maxWorkers: isLive ? live.snapshot().maxWorkers : null,
    branches: { target: summary.targetBranch, integration: summary.integrationBranch },
    baseCommit: summary.baseCommit,
    head: summary.head,
    startedAt: iso(summary.startedAt),
    endedAt: iso(summary.endedAt),
    crash: ending?.kind === "crashed" ? ending.error : null,
    delivery: ending?.kind === "ended" ? (ending.delivery ?? null) : null,
  };
}

/** One line a person can read: status, liveness, progress and spend. */
export function runHeadline(summary: RunSummary, live: LiveRun | null, ending: RunEnding | null): string {
  const tokens = summary.usage.promptTokens + summary.usage.completionTokens;
  const where = isEnded(summary.status)
    ? `ended ${summary.status}${summary.reason ? ` (${summary.reason})` : ""}`
    : live
      ? `is ${summary.status} in this server`
      : ending?.kind === "crashed"
        ? `crashed in this server (${ending.error}); resume_run continues it`
        : `is ${summary.status} but not live in this server; resume_run continues it here`;
  return (
    `Run ${summary.runId} ${where}: ${progressLine(summary.tasks)}; ` +
    `$${summary.costUsd.toFixed(4)} and ${tokens} tokens spent.`
  );
}
