import type { IdealTask } from "./critical-path.ts";

/** One model call as the fake server saw it. */
export interface CallRecord {
  /** Arrival order at the server. */
  readonly index: number;
  readonly role: string;
  readonly taskId: string | null;
  /** The latency the call was given, in ms. */
  readonly latencyMs: number;
  /** Assistant messages already in the conversation: 0 opens an agent attempt. */
  readonly turn: number;
  /** Wall-clock arrival, ms since the epoch. */
  readonly receivedAt: number;
}

/** A task of the run as the event log has it. */
export interface RunTask {
  readonly id: string;
  readonly dependsOn: readonly string[];
  readonly priority: number;
  /** The planner batch that proposed it (1-based), or null for tasks added later (fixes). */
  readonly batch: number | null;
  readonly landed: boolean;
}

export interface IdealInputs {
  readonly tasks: IdealTask[];
  /** Latency of the planner call that closed the run (the completeness check), 0 if none. */
  readonly tailMs: number;
  /** When each planner batch arrived in the ideal (cumulative planner latency). */
  readonly batchReleasesMs: readonly number[];
  /** Tasks with no recorded worker call (left out of the ideal). */
  readonly missing: readonly string[];
}

/**
 * What the ideal needs, from the run's task graph and the server's call log. The root plan's
 * batch calls come back to back, so batch k is released after the first k planner calls. A task
 * costs the calls of its last attempt (the one that landed, or the last try) plus its last
 * review; earlier attempts lost to conflicts or rejections are overhead the ideal does not pay.
 * Replanning calls in the middle of the run are not on any task's path in the ideal; the last
 * planner call (the one that declares the run complete) is, as the tail.
 */
export function idealInputs(
  calls: readonly CallRecord[],
  tasks: readonly RunTask[],
  batches: number,
): IdealInputs {
  const ordered = [...calls].sort((a, b) => a.index - b.index);
  const planner = ordered.filter((call) => call.role === "planner");
  const batchReleasesMs: number[] = [];
  let elapsed = 0;
  for (let batch = 0; batch < batches; batch++) {
    elapsed += planner[batch]?.latencyMs ?? 0;
    batchReleasesMs.push(elapsed);
  }
  const tailMs = planner.length > batches ? (planner.at(-1)?.latencyMs ?? 0) : 0;
  const workerCalls = new Map<string, CallRecord[]>();
  const lastReview = new Map<string, number>();
  for (const call of ordered) {
    if (call.taskId === null) continue;
    if (call.role === "judge") lastReview.set(call.taskId, call.latencyMs);
    else if (call.role === "worker" || call.role === "fixer") {
      const list = workerCalls.get(call.taskId) ?? [];
      list.push(call);
      workerCalls.set(call.taskId, list);
    }
  }
  const known = new Set(tasks.map((task) => task.id));
  const missing = tasks
    .filter((task) => (workerCalls.get(task.id) ?? []).length === 0)
    .map((task) => task.id);
  for (const id of missing) known.delete(id);
  const ideal: IdealTask[] = [];
  tasks.forEach((task, order) => {
    const list = workerCalls.get(task.id) ?? [];
    if (list.length === 0) return;
    let start = 0;
    list.forEach((call, position) => {
      if (call.turn === 0) start = position;
    });
    const attempt = list.slice(start).reduce((sum, call) => sum + call.latencyMs, 0);
    ideal.push({
      id: task.id,
      dependsOn: task.dependsOn.filter((dep) => known.has(dep)),
      releaseMs: task.batch === null ? 0 : (batchReleasesMs[task.batch - 1] ?? elapsed),
      durationMs: attempt + (lastReview.get(task.id) ?? 0),
      priority: task.priority,
      order,
    });
  });
  return { tasks: ideal, tailMs, batchReleasesMs, missing };
}
