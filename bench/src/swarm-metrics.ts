import type { LongshotEvent } from "@longshot/core";
import type { RunTask } from "./ideal-inputs.ts";

/** What a swarm run did, read from its event log. */
export interface SwarmCounts {
  readonly tasks: number;
  readonly landed: number;
  /** Tasks whose work was accepted and sent to the merge queue at least once, or that landed. */
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly attempts: number;
  readonly conflicts: number;
  /** Conflicts (or duplicated additions) the merge queue resolved itself: `merge-auto-resolved` events. */
  readonly autoResolved: number;
  /** Landings that changed nothing, the work being on the branch already. */
  readonly noopLandings: number;
  readonly rejections: number;
  readonly fixTasks: number;
  readonly healthChecks: number;
  readonly modelCalls: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Sandbox ready times (create to handle), ms, ascending. */
  readonly sandboxReadyMs: readonly number[];
  /** When each landing happened, in ms from run-start, ascending. */
  readonly landingsMs: readonly number[];
  /** Batches of the root plan (replans not counted). */
  readonly batches: number;
  readonly status: string;
  readonly reason: string;
}

/** Counts and timings of one run's events. */
export function swarmCounts(events: readonly LongshotEvent[]): SwarmCounts {
  const start = events.find((event) => event.type === "run-start")?.at ?? events[0]?.at ?? 0;
  const states = new Map<string, string>();
  const enqueued = new Set<string>();
  let attempts = 0;
  let conflicts = 0;
  let autoResolved = 0;
  let noopLandings = 0;
  let rejections = 0;
  let fixTasks = 0;
  let healthChecks = 0;
  let modelCalls = 0;
  let promptTokens = 0;
  let completionTokens = 0;
  let batches = 0;
  let planned = false;
  let status = "unfinished";
  let reason = "";
  const sandboxReadyMs: number[] = [];
  const landingsMs: number[] = [];
  for (const event of events) {
    switch (event.type) {
      case "task-add":
        states.set(event.task.id, event.task.state);
        if (event.task.kind === "fix") fixTasks++;
        break;
      case "task-transition":
        states.set(event.taskId, event.to);
        break;
      case "attempt-start":
        attempts++;
        break;
      case "merge-enqueue":
        enqueued.add(event.taskId);
        break;
      case "merge-conflict":
        conflicts++;
        break;
      case "merge-land":
        if (event.noop) noopLandings++;
        else landingsMs.push(event.at - start);
        break;
      case "merge-auto-resolved":
        autoResolved++;
        break;
      case "judge-verdict":
        if (!event.accepted) rejections++;
        break;
      case "health-check":
        healthChecks++;
        break;
      case "model-call-end":
        modelCalls++;
        promptTokens += event.usage.promptTokens;
        completionTokens += event.usage.completionTokens;
        break;
      case "sandbox-create":
        sandboxReadyMs.push(event.readyMs);
        break;
      case "plan-batch":
        if (!planned) batches++;
        if (event.final) planned = true;
        break;
      case "run-end":
        status = event.status;
        reason = event.reason;
        break;
      default:
        break;
    }
  }
  const count = (state: string) => [...states.values()].filter((value) => value === state).length;
  // A task that landed completed, also when it landed without passing the queue's own entry
  // (a conflict settled on its hunks lands the resolution).
  for (const [taskId, state] of states) if (state === "landed") enqueued.add(taskId);
  return {
    tasks: states.size,
    landed: count("landed"),
    completed: enqueued.size,
    failed: count("failed"),
    cancelled: count("cancelled"),
    attempts,
    conflicts,
    autoResolved,
    noopLandings,
    rejections,
    fixTasks,
    healthChecks,
    modelCalls,
    promptTokens,
    completionTokens,
    sandboxReadyMs: sandboxReadyMs.sort((a, b) => a - b),
    landingsMs: landingsMs.sort((a, b) => a - b),
    batches,
    status,
    reason,
  };
}

/** The task graph of a run, with the planner batch each task came in. */
export function runTasks(events: readonly LongshotEvent[]): RunTask[] {
  // Root-plan batches run up to the first final one; later plan-batch events are replans.
  const batchOf = new Map<string, number>();
  let batch = 0;
  for (const event of events) {
    if (event.type !== "plan-batch") continue;
    batch++;
    for (const id of event.taskIds) batchOf.set(id, batch);
    if (event.final) break;
  }
  const tasks = new Map<string, { id: string; dependsOn: string[]; priority: number; landed: boolean }>();
  for (const event of events) {
    if (event.type === "task-add") {
      const { id, dependsOn, priority } = event.task;
      tasks.set(id, { id, dependsOn: [...dependsOn], priority, landed: false });
    } else if (event.type === "task-update" && event.changes.dependsOn !== undefined) {
      const task = tasks.get(event.taskId);
      if (task) task.dependsOn = [...event.changes.dependsOn];
    } else if (event.type === "merge-land") {
      const task = tasks.get(event.taskId);
      if (task) task.landed = true;
    }
  }
  return [...tasks.values()].map((task) => ({ ...task, batch: batchOf.get(task.id) ?? null }));
}

/** The value at `fraction` (0..1) of ascending `sorted` values, nearest rank. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}
