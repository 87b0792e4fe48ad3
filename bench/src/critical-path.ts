/**
 * The ideal a swarm run is measured against: its task graph executed with no orchestration cost
 * at all, where each task takes exactly the model latency its calls were given. A task may start
 * once the planner batch that proposed it has arrived and every task it depends on has finished.
 */
export interface IdealTask {
  readonly id: string;
  readonly dependsOn: readonly string[];
  /** When the task becomes known (its planner batch's reply), in ms from the run's start. */
  readonly releaseMs: number;
  /** Sum of the model latencies of the calls the task needs. */
  readonly durationMs: number;
  /** Higher starts first when workers are scarce, then `order` (as the engine's scheduler does). */
  readonly priority: number;
  readonly order: number;
}

export interface IdealSchedule {
  /** With unlimited workers: the longest release-plus-dependency chain, plus the tail. */
  readonly criticalPathMs: number;
  /** With `workers` workers, greedy by priority then order (the engine's rule), plus the tail. */
  readonly scheduledMs: number;
  /** A bound no schedule beats: the critical path, or all work spread evenly from the first release. */
  readonly lowerBoundMs: number;
  readonly totalWorkMs: number;
  /** When each task finishes in the scheduled ideal, ascending (for the landing curve). */
  readonly finishesMs: readonly number[];
}

function byId(tasks: readonly IdealTask[]): Map<string, IdealTask> {
  const map = new Map<string, IdealTask>();
  for (const task of tasks) {
    if (map.has(task.id)) throw new Error(`task ${task.id} appears twice`);
    map.set(task.id, task);
  }
  for (const task of tasks) {
    for (const dep of task.dependsOn) {
      if (!map.has(dep)) throw new Error(`task ${task.id} depends on unknown task ${dep}`);
    }
  }
  return map;
}

/** Finish time of every task with unlimited workers; throws on a dependency cycle. */
export function unboundedFinishes(tasks: readonly IdealTask[]): Map<string, number> {
  const map = byId(tasks);
  const finish = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (task: IdealTask): number => {
    const known = finish.get(task.id);
    if (known !== undefined) return known;
    if (visiting.has(task.id)) throw new Error(`dependency cycle through task ${task.id}`);
    visiting.add(task.id);
    let start = task.releaseMs;
    for (const dep of task.dependsOn) start = Math.max(start, visit(map.get(dep)!));
    visiting.delete(task.id);
    const done = start + task.durationMs;
    finish.set(task.id, done);
    return done;
  };
  for (const task of tasks) visit(task);
  return finish;
}

/** Finish time of every task on `workers` workers, list-scheduled by priority then order. */
export function scheduledFinishes(tasks: readonly IdealTask[], workers: number): Map<string, number> {
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError("workers must be a positive integer");
  const map = byId(tasks);
  unboundedFinishes(tasks); // rejects cycles before the loop below could spin on them
  const finish = new Map<string, number>();
  const waiting = [...tasks].sort((a, b) => b.priority - a.priority || a.order - b.order);
  const running: { readonly id: string; readonly end: number }[] = [];
  let now = 0;
  while (waiting.length > 0 || running.length > 0) {
    for (let index = running.length - 1; index >= 0; index--) {
      const entry = running[index]!;
      if (entry.end <= now) {
        finish.set(entry.id, entry.end);
        running.splice(index, 1);
      }
    }
    let nextRelease = Number.POSITIVE_INFINITY;
    for (let index = 0; index < waiting.length && running.length < workers; ) {
      const task = waiting[index]!;
      const depsDone = task.dependsOn.every((dep) => finish.has(dep));
      if (depsDone && task.releaseMs <= now) {
        running.push({ id: task.id, end: now + task.durationMs });
        waiting.splice(index, 1);
        continue;
      }
      if (depsDone) nextRelease = Math.min(nextRelease, task.releaseMs);
      index++;
    }
    const nextEnd = Math.min(...running.map((entry) => entry.end));
    const next = Math.min(nextEnd, nextRelease);
    if (!Number.isFinite(next)) {
      if (waiting.length === 0 && running.length === 0) break;
      throw new Error(`tasks can never start: ${waiting.map((task) => task.id).join(", ")}`);
    }
    now = Math.max(now, next);
  }
  if (finish.size !== map.size) throw new Error("the schedule lost a task");
  return finish;
}

/**
 * The ideal of a run: critical path (unlimited workers), the greedy schedule on `workers`
 * workers, and a lower bound; `tailMs` (the planner's closing call) is added to each.
 */
export function idealSchedule(tasks: readonly IdealTask[], workers: number, tailMs = 0): IdealSchedule {
  if (tasks.length === 0) {
    return {
      criticalPathMs: tailMs,
      scheduledMs: tailMs,
      lowerBoundMs: tailMs,
      totalWorkMs: 0,
      finishesMs: [],
    };
  }
  const unbounded = [...unboundedFinishes(tasks).values()];
  const scheduled = [...scheduledFinishes(tasks, workers).values()].sort((a, b) => a - b);
  const totalWorkMs = tasks.reduce((sum, task) => sum + task.durationMs, 0);
  const firstRelease = Math.min(...tasks.map((task) => task.releaseMs));
  const criticalPathMs = Math.max(...unbounded) + tailMs;
  return {
    criticalPathMs,
    scheduledMs: (scheduled.at(-1) ?? 0) + tailMs,
    lowerBoundMs: Math.max(criticalPathMs, firstRelease + totalWorkMs / workers + tailMs),
    totalWorkMs,
    finishesMs: scheduled,
  };
}
