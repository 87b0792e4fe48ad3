import type { AttemptReport, LandingOutcome, TaskIntent } from "./ports.js";
import type { RunState, TaskView } from "./run-state.js";
import type { WorkerContext } from "./worker.js";

/**
 * Hunk resolutions one attempt's work may go through before the task runs again. Each round
 * after the first means the head moved while the last one was checked; past this many, the
 * file is so hot that redoing the task on the newest code is the surer way.
 */
export const maxHunkRounds = 4;

/** A task's title and the summary of its latest handoff, for the other side of a conflict. */
export function intentOf(state: RunState, taskId: string): TaskIntent | null {
  const view = state.tasks.get(taskId);
  if (view === undefined) return null;
  const handoff = view.attempts.findLast((attempt) => attempt.handoff !== null)?.handoff ?? null;
  return { title: view.task.title, summary: handoff?.summary ?? "" };
}

/**
 * The resolution step for a conflict the queue sent back: one model call on the conflicted
 * hunks, verified by the checks (docs/decisions/0009). Records a `conflict-resolution` event
 * either way and returns the verified commit to land, or null when the task must run again
 * (no resolver, no snapshot of the conflict, too many rounds, or the step failed).
 */
export async function resolveAtHunkSize(
  context: WorkerContext,
  view: TaskView,
  attempt: number,
  outcome: Extract<LandingOutcome, { kind: "conflict" }>,
  round: number,
): Promise<string | null> {
  const { engine, deps } = context;
  const resolver = deps.resolver;
  if (resolver === null || resolver === undefined || outcome.conflict === undefined) return null;
  if (round >= maxHunkRounds) {
    engine.append({
      type: "log",
      level: "info",
      message: `${view.task.id}: ${round} hunk resolutions lost the race to newer landings; the task runs again on the newest code`,
      taskId: view.task.id,
    });
    return null;
  }
  const state = engine.state;
  const result = await resolver
    .resolve({
      runId: engine.runId,
      task: view.task,
      attempt,
      handoff: view.attempts.find((entry) => entry.number === attempt)?.handoff ?? null,
      conflict: outcome.conflict,
      intentOf: (taskId) => intentOf(state, taskId),
      signal: context.signal,
    })
    .catch((error: unknown) => {
      if (context.signal.aborted) return null;
      throw error;
    });
  if (result === null) return null;
  engine.append({
    type: "conflict-resolution",
    taskId: view.task.id,
    attempt,
    method: "hunks",
    ok: result.kind === "resolved",
    files: [...result.files],
    hunks: result.hunks,
    commit: result.kind === "resolved" ? result.commit : null,
    usage: result.usage,
    reason: result.kind === "resolved" ? `resolved in round ${round + 1}` : result.reason,
  });
  return result.kind === "resolved" ? result.commit : null;
}

/**
 * After an attempt that re-ran the task because its previous work conflicted: records which
 * path answered that conflict (a whole new attempt) and what it cost.
 */
export function recordRerun(context: WorkerContext, view: TaskView, report: AttemptReport): void {
  const previous = view.attempts.at(-2);
  if (previous?.outcome !== "conflict") return;
  const handedOff = (report.outcome === "complete" || report.outcome === "partial") && report.commit !== null;
  context.engine.append({
    type: "conflict-resolution",
    taskId: view.task.id,
    attempt: previous.number,
    method: "rerun",
    ok: handedOff,
    files: [...view.conflictFiles],
    hunks: 0,
    commit: report.commit,
    usage: report.usage,
    reason: handedOff ? "the task ran again on the newest code" : `${report.outcome}: ${report.reason}`,
  });
}
