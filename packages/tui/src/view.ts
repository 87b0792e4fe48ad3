import type { LongshotEvent, RunStatus, TaskKind, TaskState } from "@longshot/core";

export interface TaskRow {
  readonly id: string;
  readonly title: string;
  readonly kind: TaskKind;
  readonly parentId: string | null;
  state: TaskState;
  attempts: number;
}

export interface WorkerRow {
  readonly taskId: string;
  readonly title: string;
  readonly attempt: number;
  readonly model: string;
  readonly harness: string;
  sandbox: string;
  turns: number;
  lastTool: string;
  readonly startedAt: number;
}

/** Everything the dashboard shows, derived only from events (plus the clock for elapsed time). */
export interface DashboardView {
  runId: string;
  request: string;
  status: RunStatus | "starting";
  reason: string;
  startedAt: number;
  now: number;
  readonly tasks: Map<string, TaskRow>;
  readonly order: string[];
  readonly counts: Record<TaskState, number>;
  readonly workers: Map<string, WorkerRow>;
  /** `noop`: landings that changed nothing (the work was already there), not counted in `landed`. */
  merges: {
    queued: number;
    landed: number;
    noop: number;
    conflicts: number;
    autoResolved: number;
    reverted: number;
  };
  lastConflict: { taskId: string; files: readonly string[] } | null;
  health: { green: boolean | null; failing: string | null; commit: string | null };
  readonly openFixes: Set<string>;
  costUsd: number;
  tokens: number;
  budget: { usd: number | null; tokens: number | null };
  /** Timestamps of landings, for the throughput sparkline. */
  readonly landedAt: number[];
  readonly log: string[];
  paused: boolean;
}

export const logLimit = 200;

export function emptyView(
  budget: { usd: number | null; tokens: number | null } = { usd: null, tokens: null },
): DashboardView {
  return {
    runId: "",
    request: "",
    status: "starting",
    reason: "",
    startedAt: 0,
    now: 0,
    tasks: new Map(),
    order: [],
    counts: {
      pending: 0,
      ready: 0,
      running: 0,
      review: 0,
      merging: 0,
      landed: 0,
      failed: 0,
      cancelled: 0,
      split: 0,
    },
    workers: new Map(),
    merges: { queued: 0, landed: 0, noop: 0, conflicts: 0, autoResolved: 0, reverted: 0 },
    lastConflict: null,
    health: { green: null, failing: null, commit: null },
    openFixes: new Set(),
    costUsd: 0,
    tokens: 0,
    budget,
    landedAt: [],
    log: [],
    paused: false,
  };
}

function say(view: DashboardView, at: number, line: string): void {
  const stamp = new Date(at).toISOString().slice(11, 19);
  view.log.push(`${stamp} ${line}`);
  if (view.log.length > logLimit) view.log.splice(0, view.log.length - logLimit);
}

/** One readable line for an event, or null when it is too small to mention (also used for plain output). */
export function describeEvent(event: LongshotEvent): string | null {
  switch (event.type) {
    case "run-start":
      return `run ${event.runId} started: ${event.request}`;
    case "run-resume":
      return `run ${event.runId} resumed`;
    case "run-pause":
      return "paused";
    case "run-unpause":
      return "unpaused";
    case "run-drain":
      return `draining: ${event.reason}`;
    case "run-end":
      return `run ended ${event.status}: ${event.reason}`;
    case "plan-batch":
      return event.taskIds.length === 0
        ? `planner round ${event.batch}: no new tasks`
        : `plan batch ${event.batch}: ${event.taskIds.length} task(s)${event.final ? " (final)" : ""}`;
    case "plan-reject":
      return `plan rejected: ${event.problems.join("; ")}`;
    case "plan-complete":
      return `plan complete: ${event.reason}`;
    case "task-add":
      return `${event.task.id} added (${event.task.kind}): ${event.task.title}`;
    case "task-transition":
      // Landings are told by merge-land; failures, cancellations and splits only here.
      return event.to === "failed" || event.to === "cancelled" || event.to === "split"
        ? `${event.taskId} ${event.to}: ${event.reason}`
        : null;
    case "attempt-start":
      return `${event.taskId} attempt ${event.attempt} on ${event.model} (${event.sandbox})`;
    case "attempt-end":
      return `${event.taskId} attempt ${event.attempt} ${event.outcome}${event.reason ? `: ${event.reason}` : ""}`;
    case "judge-verdict":
      return `${event.taskId} ${event.accepted ? "accepted" : "rejected"}: ${event.feedback}`;
    case "merge-land":
      return event.noop
        ? `${event.taskId} landed nothing new: its work was already on the branch`
        : `${event.taskId} landed ${event.sha.slice(0, 10)}`;
    case "merge-auto-resolved":
      return `${event.taskId} conflict resolved by the queue (${event.rule}, ${event.hunks} hunk${event.hunks === 1 ? "" : "s"}): ${event.files.join(", ")}`;
    case "merge-conflict":
      return `${event.taskId} conflicts in ${event.files.join(", ")}`;
    case "conflict-resolution":
      return event.method === "hunks"
        ? `${event.taskId} conflict ${event.ok ? "resolved" : "not resolved"} at hunk size (${event.hunks} hunk${event.hunks === 1 ? "" : "s"})${event.ok ? "" : `: ${event.reason}`}`
        : `${event.taskId} conflict re-run ${event.ok ? "handed off" : `ended: ${event.reason}`}`;
    case "merge-revert":
      return `reverted ${event.reverted.slice(0, 10)} (${event.taskId}): ${event.reason}`;
    case "merge-gate":
      return `gate ${event.pass ? "passed" : "failed"} for ${event.taskIds.join(", ")}`;
    case "merge-push":
      return `push ${event.ref} ${event.ok ? "ok" : `failed: ${event.error ?? ""}`}`;
    case "health-check": {
      const failing = event.checks.filter((check) => !check.ok).map((check) => check.name);
      return `health ${event.green ? "green" : `red (${failing.join(", ")})`} at ${event.commit.slice(0, 10)}`;
    }
    case "fix-create":
      return `fix task ${event.taskId} for ${event.fingerprint}${event.culprit ? ` (culprit ${event.culprit.slice(0, 10)})` : ""}`;
    case "budget-refuse":
      return `budget reached: ${event.kind} ${event.used} of ${event.limit}`;
    case "target-update":
      return event.landed
        ? `${event.branch} updated to ${event.sha?.slice(0, 10) ?? ""}`
        : `${event.branch} left as is: ${event.command ?? ""}`;
    case "log":
      return event.level === "debug" ? null : event.message;
    case "plan-start":
    case "task-update":
    case "model-call-start":
    case "model-call-end":
    case "tool-call-start":
    case "tool-call-end":
    case "agent-text":
    case "sandbox-create":
    case "sandbox-destroy":
    case "merge-enqueue":
      return null;
  }
}

function setTaskState(view: DashboardView, id: string, state: TaskState): void {
  const row = view.tasks.get(id);
  if (!row) return;
  view.counts[row.state] -= 1;
  row.state = state;
  view.counts[state] += 1;
}

/**
 * The dashboard's only logic: folds one engine event into the view (in place, for speed at
 * thousands of events per second; the result depends only on the events).
 */
export function reduceView(view: DashboardView, event: LongshotEvent): DashboardView {
  view.now = Math.max(view.now, event.at);
  const line = describeEvent(event);
  if (line !== null) say(view, event.at, line);
  switch (event.type) {
    case "run-start":
      view.runId = event.runId;
      view.request = event.request;
      view.startedAt = event.at;
      view.status = "running";
      break;
    case "run-resume":
      view.runId = event.runId;
      view.status = "running";
      view.paused = false;
      break;
    case "run-pause":
      view.paused = true;
      view.status = "paused";
      break;
    case "run-unpause":
      view.paused = false;
      view.status = "running";
      break;
    case "run-drain":
      view.status = "draining";
      view.reason = event.reason;
      break;
    case "run-end":
      view.status = event.status;
      view.reason = event.reason;
      view.workers.clear();
      break;
    case "task-add":
      if (!view.tasks.has(event.task.id)) {
        view.tasks.set(event.task.id, {
          id: event.task.id,
          title: event.task.title,
          kind: event.task.kind,
          parentId: event.task.parentId,
          state: event.task.state,
          attempts: 0,
        });
        view.order.push(event.task.id);
        view.counts[event.task.state] += 1;
        if (event.task.kind === "fix") view.openFixes.add(event.task.id);
      }
      break;
    case "task-transition":
      setTaskState(view, event.taskId, event.to);
      if (event.to !== "running" && event.to !== "review" && event.to !== "merging")
        view.workers.delete(event.taskId);
      if (event.to === "landed" || event.to === "failed" || event.to === "cancelled")
        view.openFixes.delete(event.taskId);
      break;
    case "attempt-start": {
      const row = view.tasks.get(event.taskId);
      if (row) row.attempts = event.attempt;
      view.workers.set(event.taskId, {
        taskId: event.taskId,
        title: row?.title ?? event.taskId,
        attempt: event.attempt,
        model: event.model,
        harness: event.harness,
        sandbox: event.sandbox,
        turns: 0,
        lastTool: "",
        startedAt: event.at,
      });
      break;
    }
    case "sandbox-create": {
      const worker = view.workers.get(event.taskId);
      if (worker) worker.sandbox = event.sandbox;
      break;
    }
    case "attempt-end":
      view.workers.delete(event.taskId);
      break;
    case "model-call-end": {
      view.costUsd += event.costUsd;
      view.tokens += event.usage.promptTokens + event.usage.completionTokens;
      const worker = event.taskId ? view.workers.get(event.taskId) : undefined;
      if (worker && event.role === "worker") worker.turns += 1;
      break;
    }
    case "tool-call-start": {
      const worker = view.workers.get(event.taskId);
      if (worker) worker.lastTool = event.tool;
      break;
    }
    case "merge-enqueue":
      view.merges.queued += 1;
      break;
    case "merge-land":
      view.merges.queued = Math.max(0, view.merges.queued - 1);
      if (event.noop) view.merges.noop += 1;
      else {
        view.merges.landed += 1;
        view.landedAt.push(event.at);
      }
      break;
    case "merge-auto-resolved":
      view.merges.autoResolved += 1;
      break;
    case "merge-conflict":
      view.merges.queued = Math.max(0, view.merges.queued - 1);
      view.merges.conflicts += 1;
      view.lastConflict = { taskId: event.taskId, files: event.files };
      break;
    case "merge-revert":
      view.merges.reverted += 1;
      break;
    case "health-check":
      view.health = {
        green: event.green,
        failing: event.checks.find((check) => !check.ok)?.name ?? null,
        commit: event.commit,
      };
      break;
    default:
      break;
  }
  return view;
}

/** Landings per minute over the last `minutes` minutes, oldest first. */
export function throughput(view: DashboardView, minutes: number): number[] {
  const buckets = new Array<number>(minutes).fill(0);
  const end = view.now;
  for (const at of view.landedAt) {
    const age = Math.floor((end - at) / 60_000);
    if (age >= 0 && age < minutes) buckets[minutes - 1 - age]! += 1;
  }
  return buckets;
}
