import type { LongshotEvent, RunStatus, TaskKind, TaskState } from "@longshot/core";
import { describeEvent } from "./describe-event.js";

export interface TaskRow {
  readonly id: string;
  readonly title: string;
  readonly kind: TaskKind;
  readonly parentId: string | null;
  state: TaskState;
  attempts: number;
}

/**
 * A task that holds a worker: from its dispatch (`running`) through review and merging. The
 * header's active count and the workers panel both count these rows, so they always agree.
 */
export interface WorkerRow {
  readonly taskId: string;
  readonly title: string;
  attempt: number;
  model: string;
  harness: string;
  sandbox: string;
  turns: number;
  lastTool: string;
  startedAt: number;
  /** starting: dispatched, no attempt yet; working: the agent runs; then review and merging. */
  phase: "starting" | "working" | "review" | "merging";
}

/** The last model retry, shown so a failing endpoint is visible while the run waits on it. */
export interface RetryNote {
  readonly endpoint: string;
  readonly status: number | null;
  readonly role: string;
  readonly taskId: string | null;
  readonly attempt: number;
  readonly delayMs: number;
  readonly at: number;
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
  /** The run's agent commands run unisolated on the host (SANDBOX_PROVIDER=none). */
  unsandboxed: boolean;
  /** Model calls retried so far, and the latest retry. */
  retries: { count: number; last: RetryNote | null };
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
      reverted: 0,
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
    unsandboxed: false,
    retries: { count: 0, last: null },
  };
}

function say(view: DashboardView, at: number, line: string): void {
  const stamp = new Date(at).toISOString().slice(11, 19);
  view.log.push(`${stamp} ${line}`);
  if (view.log.length > logLimit) view.log.splice(0, view.log.length - logLimit);
}

/** The worker row of a task, created when the task is dispatched before its attempt starts. */
function workerOf(view: DashboardView, taskId: string, at: number): WorkerRow {
  const existing = view.workers.get(taskId);
  if (existing) return existing;
  const row = view.tasks.get(taskId);
  const worker: WorkerRow = {
    taskId,
    title: row?.title ?? taskId,
    attempt: row?.attempts ?? 0,
    model: "",
    harness: "",
    sandbox: "",
    turns: 0,
    lastTool: "",
    startedAt: at,
    phase: "starting",
  };
  view.workers.set(taskId, worker);
  return worker;
}

function setTaskState(view: DashboardView, id: string, state: TaskState): void {
  const row = view.tasks.get(id);
  if (!row) return;
  view.counts[row.state] -= 1;
  row.state = state;
  view.counts[state] += 1;
}

/** The run's own lifecycle: started, resumed, paused, draining, ended. */
function reduceRun(view: DashboardView, event: LongshotEvent): void {
  switch (event.type) {
    case "run-start":
      view.runId = event.runId;
      view.request = event.request;
      view.startedAt = event.at;
      view.status = "running";
      view.unsandboxed = event.settings.sandbox === "none";
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
    default:
      break;
  }
}

/** Tasks and the workers attempting them: states, attempts, phases, sandboxes and tools. */
function reduceWork(view: DashboardView, event: LongshotEvent): void {
  switch (event.type) {
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
      if (event.to === "running" || event.to === "review" || event.to === "merging") {
        const worker = workerOf(view, event.taskId, event.at);
        worker.phase = event.to === "running" ? worker.phase : event.to;
      } else {
        view.workers.delete(event.taskId);
      }
      if (event.to === "landed" || event.to === "failed" || event.to === "cancelled")
        view.openFixes.delete(event.taskId);
      break;
    case "attempt-start": {
      const row = view.tasks.get(event.taskId);
      if (row) row.attempts = event.attempt;
      const worker = workerOf(view, event.taskId, event.at);
      Object.assign(worker, {
        attempt: event.attempt,
        model: event.model,
        harness: event.harness,
        sandbox: event.sandbox,
        turns: 0,
        lastTool: "",
        startedAt: event.at,
        phase: "working",
      });
      break;
    }
    case "sandbox-create": {
      const worker = view.workers.get(event.taskId);
      if (worker) worker.sandbox = event.sandbox;
      break;
    }
    case "attempt-end": {
      // The task keeps its worker through review and merging; the next transition says where it goes.
      const worker = view.workers.get(event.taskId);
      if (worker) worker.phase = "review";
      break;
    }
    case "tool-call-start": {
      const worker = view.workers.get(event.taskId);
      if (worker) worker.lastTool = event.tool;
      break;
    }
    default:
      break;
  }
}

/** Model calls: cost, tokens, retries, and a worker's turns. */
function reduceModelCalls(view: DashboardView, event: LongshotEvent): void {
  switch (event.type) {
    case "model-call-retry":
      view.retries.count += 1;
      view.retries.last = {
        endpoint: event.endpoint,
        status: event.status,
        role: event.role,
        taskId: event.taskId,
        attempt: event.attempt,
        delayMs: event.delayMs,
        at: event.at,
      };
      break;
    case "model-call-end": {
      view.costUsd += event.costUsd;
      view.tokens += event.usage.promptTokens + event.usage.completionTokens;
      const worker = event.taskId ? view.workers.get(event.taskId) : undefined;
      if (worker && event.role === "worker") worker.turns += 1;
      break;
    }
    default:
      break;
  }
}

/** The merge queue and the reconciler: landings, conflicts, reverts and the branch's health. */
function reduceIntegration(view: DashboardView, event: LongshotEvent): void {
  switch (event.type) {
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
}

/**
 * The dashboard's only logic: folds one engine event into the view (in place, for speed at
 * thousands of events per second; the result depends only on the events).
 */
export function reduceView(view: DashboardView, event: LongshotEvent): DashboardView {
  view.now = Math.max(view.now, event.at);
  const line = describeEvent(event);
  if (line !== null) say(view, event.at, line);
  reduceRun(view, event);
  reduceWork(view, event);
  reduceModelCalls(view, event);
  reduceIntegration(view, event);
  return view;
}

/**
 * Work in flight, counted once for the header and the workers panel: tasks that hold a worker
 * (dispatched, attempting, in review) and tasks waiting in the merge queue.
 */
export function activity(view: DashboardView): { active: number; merging: number } {
  let merging = 0;
  for (const worker of view.workers.values()) if (worker.phase === "merging") merging += 1;
  return { active: view.workers.size - merging, merging };
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
