import type { LongshotEvent } from "@longshot/core";

/** Mean milliseconds per attempt that landed, by phase of the worker's path. */
export interface PhaseBreakdown {
  readonly attempts: number;
  /** Ready (dependencies landed) to dispatched: waiting for a worker slot or a scope lease. */
  readonly waitForWorker: number;
  /** Dispatched to attempt-start (run-loop latency). */
  readonly dispatch: number;
  /** attempt-start to sandbox-create. */
  readonly sandboxCreate: number;
  /** Sandbox ready to sandbox destroyed: the agent's turns, its tools and its commit. */
  readonly agent: number;
  /** Of `agent`: model calls as the client timed them. */
  readonly agentModel: number;
  /** sandbox-destroy to attempt-end. */
  readonly destroy: number;
  /** attempt-end to review: the planner update (a replan every few handoffs) runs here. */
  readonly plannerUpdate: number;
  /** review to judge-verdict: tamper guard, diff and the judge's call. */
  readonly review: number;
  /** Verdict to landed: the merge queue. */
  readonly merge: number;
  /** Ready to landed, end to end. */
  readonly total: number;
}

interface Open {
  ready?: number;
  dispatched?: number;
  attemptStart?: number;
  sandbox?: number;
  destroyed?: number;
  attemptEnd?: number;
  review?: number;
  verdict?: number;
  model: number;
}

const phases = [
  "waitForWorker",
  "dispatch",
  "sandboxCreate",
  "agent",
  "agentModel",
  "destroy",
  "plannerUpdate",
  "review",
  "merge",
  "total",
] as const;

/**
 * Where a landed attempt's time went, averaged over the attempts that landed. Attempts that did
 * not land (conflicts, rejections) are left out: their cost shows as extra attempts instead.
 */
export function phaseBreakdown(events: readonly LongshotEvent[]): PhaseBreakdown {
  const open = new Map<string, Open>();
  const sums = Object.fromEntries(phases.map((phase) => [phase, 0])) as Record<
    (typeof phases)[number],
    number
  >;
  let landed = 0;
  const entry = (taskId: string): Open => {
    let value = open.get(taskId);
    if (value === undefined) {
      value = { model: 0 };
      open.set(taskId, value);
    }
    return value;
  };
  for (const event of events) {
    switch (event.type) {
      case "task-add":
        if (event.task.state === "ready") open.set(event.task.id, { ready: event.at, model: 0 });
        break;
      case "task-transition":
        if (event.to === "ready") open.set(event.taskId, { ready: event.at, model: 0 });
        else if (event.to === "running") entry(event.taskId).dispatched = event.at;
        else if (event.to === "review") entry(event.taskId).review = event.at;
        break;
      case "attempt-start":
        entry(event.taskId).attemptStart = event.at;
        break;
      case "sandbox-create":
        entry(event.taskId).sandbox = event.at;
        break;
      case "sandbox-destroy":
        entry(event.taskId).destroyed = event.at;
        break;
      case "attempt-end":
        entry(event.taskId).attemptEnd = event.at;
        break;
      case "judge-verdict":
        entry(event.taskId).verdict = event.at;
        break;
      case "model-call-end":
        if (event.taskId !== null && event.role !== "judge") entry(event.taskId).model += event.durationMs;
        break;
      case "merge-land": {
        const value = open.get(event.taskId);
        const times = [
          value?.ready,
          value?.dispatched,
          value?.attemptStart,
          value?.sandbox,
          value?.destroyed,
          value?.attemptEnd,
          value?.review,
          value?.verdict,
        ];
        if (value === undefined || times.some((time) => time === undefined)) break;
        const [ready, dispatched, start, sandbox, destroyed, end, review, verdict] = times as number[];
        landed++;
        sums.waitForWorker += dispatched! - ready!;
        sums.dispatch += start! - dispatched!;
        sums.sandboxCreate += sandbox! - start!;
        sums.agent += destroyed! - sandbox!;
        sums.agentModel += value.model;
        sums.destroy += end! - destroyed!;
        sums.plannerUpdate += review! - end!;
        sums.review += verdict! - review!;
        sums.merge += event.at - verdict!;
        sums.total += event.at - ready!;
        break;
      }
      default:
        break;
    }
  }
  const mean = (value: number) => (landed === 0 ? 0 : Math.round(value / landed));
  return {
    attempts: landed,
    ...(Object.fromEntries(phases.map((phase) => [phase, mean(sums[phase])])) as Record<
      (typeof phases)[number],
      number
    >),
  };
}
