import { type AttemptOutcome, type EventOf, type HealthCheck, type Task, UserError } from "@longshot/core";
import type {
  AttemptRecord,
  CostRow,
  FixRecord,
  HealthSweep,
  MergeRecord,
  RunSummary,
} from "@longshot/store";
import { assignLanes } from "../assign-lanes.js";
import type { ReportStore } from "../report-store.js";

/** How an attempt turned out, merge and review included. */
export type AttemptResult = AttemptOutcome | "landed" | "unfinished";

export interface ReportAttempt {
  readonly task: Task;
  readonly record: AttemptRecord;
  readonly start: number;
  /** The recorded end, or the end of the timeline for an attempt that never ended. */
  readonly end: number;
  readonly result: AttemptResult;
  /** Why the attempt did not land: the judge's feedback, the conflict, or the attempt's reason. */
  readonly why: string | null;
  /** Worker lane from greedy interval packing. */
  readonly lane: number;
}

export interface FailedTask {
  readonly task: Task;
  readonly reason: string;
  readonly lastAttempt: ReportAttempt | null;
}

export interface LatestCheck {
  readonly check: HealthCheck;
  readonly commit: string;
  readonly at: number;
}

export interface ReportData {
  readonly run: RunSummary;
  readonly tasks: readonly Task[];
  readonly attempts: readonly ReportAttempt[];
  readonly laneCount: number;
  readonly timeline: { readonly start: number; readonly end: number };
  readonly costByRole: readonly CostRow[];
  readonly costByModel: readonly CostRow[];
  readonly merges: readonly MergeRecord[];
  readonly health: readonly HealthSweep[];
  /** Each check's most recent result, in the order checks first appeared. */
  readonly latestChecks: readonly LatestCheck[];
  readonly fixes: readonly FixRecord[];
  readonly failedTasks: readonly FailedTask[];
  readonly failedAttempts: readonly ReportAttempt[];
  readonly target: EventOf<"target-update"> | null;
}

export interface CollectOptions {
  /** End of the timeline for a run that has not ended; default: the run's last update. */
  readonly now?: number;
}

const finished: readonly AttemptResult[] = ["landed", "complete", "unfinished"];

/** Reads everything a report shows from the store, once. Throws UserError for an unknown run. */
export function collectReport(store: ReportStore, runId: string, options: CollectOptions = {}): ReportData {
  const run = store.getRun(runId);
  if (!run) throw new UserError(`No run "${runId}" is recorded here; \`longshot runs\` lists the runs.`);
  const end = run.endedAt ?? Math.max(options.now ?? run.updatedAt, run.startedAt);
  const tasks = store.listTasks(runId);
  const merges = store.merges(runId);
  const mergeByAttempt = new Map<string, MergeRecord>();
  for (const merge of merges) mergeByAttempt.set(`${merge.taskId}#${merge.attempt}`, merge);

  const raw = tasks.flatMap((task) =>
    (store.getTask(runId, task.id)?.attempts ?? []).map((record) => {
      const merge = mergeByAttempt.get(`${task.id}#${record.number}`) ?? null;
      return { task, record, merge, start: record.startedAt, end: record.endedAt ?? end };
    }),
  );
  const lanes = assignLanes(raw);
  const attempts: ReportAttempt[] = raw.map((item, index) => ({
    task: item.task,
    record: item.record,
    start: item.start,
    end: item.end,
    ...resultOf(item.record, item.merge),
    lane: lanes[index] ?? 0,
  }));
  attempts.sort((left, right) => left.start - right.start || left.task.id.localeCompare(right.task.id));

  const events = store.events(runId, { types: ["task-transition", "target-update"] });
  const lastReason = new Map<string, string>();
  let target: EventOf<"target-update"> | null = null;
  for (const event of events) {
    if (event.type === "task-transition") lastReason.set(event.taskId, event.reason);
    else if (event.type === "target-update") target = event;
  }
  const lastAttemptOf = new Map<string, ReportAttempt>();
  for (const attempt of attempts) lastAttemptOf.set(attempt.task.id, attempt);
  const failedTasks = tasks
    .filter((task) => task.state === "failed" || task.state === "cancelled")
    .map((task) => {
      const lastAttempt = lastAttemptOf.get(task.id) ?? null;
      const reason = lastReason.get(task.id) ?? lastAttempt?.why ?? task.state;
      return { task, reason, lastAttempt };
    });

  const health = store.healthHistory(runId);
  return {
    run,
    tasks,
    attempts,
    laneCount: attempts.reduce((max, attempt) => Math.max(max, attempt.lane + 1), 0),
    timeline: { start: run.startedAt, end: Math.max(end, run.startedAt + 1) },
    costByRole: store.costByRole(runId),
    costByModel: store.costByModel(runId),
    merges,
    health,
    latestChecks: latestChecks(health),
    fixes: store.fixes(runId),
    failedTasks,
    failedAttempts: attempts.filter((attempt) => !finished.includes(attempt.result)),
    target,
  };
}

function resultOf(
  record: AttemptRecord,
  merge: MergeRecord | null,
): { readonly result: AttemptResult; readonly why: string | null } {
  if (record.outcome === null) return { result: "unfinished", why: null };
  if (record.outcome !== "complete") {
    const summary = record.handoff?.summary.trim();
    const reason = record.reason ?? "";
    const why = summary && !reason.includes(summary) ? `${reason} ${summary}`.trim() : reason;
    return { result: record.outcome, why };
  }
  if (record.accepted === false) return { result: "rejected", why: record.feedback ?? record.reason };
  if (merge?.outcome === "landed" || merge?.outcome === "no-op") return { result: "landed", why: null };
  if (merge?.outcome === "conflict") {
    const files = merge.files.length > 0 ? ` in ${merge.files.join(", ")}` : "";
    return { result: "conflict", why: `merge conflict${files}` };
  }
  if (merge) return { result: "failed", why: `merge ${merge.outcome}` };
  return { result: "complete", why: null };
}

function latestChecks(history: readonly HealthSweep[]): LatestCheck[] {
  const latest = new Map<string, LatestCheck>();
  for (const sweep of history) {
    for (const check of sweep.checks) latest.set(check.name, { check, commit: sweep.commit, at: sweep.at });
  }
  return [...latest.values()];
}

/** Failing checks as of the last sweep (an earlier red that was repaired is history, not a failure). */
export function failingChecks(data: ReportData): readonly HealthCheck[] {
  return data.run.lastHealth?.checks.filter((check) => !check.ok) ?? [];
}
