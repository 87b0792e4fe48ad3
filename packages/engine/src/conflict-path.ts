import type { NewEvent } from "@longshot/core";
import type { ConflictLanes } from "./conflict-lanes.js";
import type { AttemptReport, ConflictResolver, LandingOutcome, TaskIntent } from "./ports.js";
import type { RunState, TaskView } from "./run-state.js";

/** What the conflict path needs of the worker: the run's id, state and log, the resolver, the task's signal. */
export interface ConflictContext {
  readonly engine: { readonly runId: string; readonly state: RunState; append(event: NewEvent): unknown };
  readonly deps: { readonly resolver?: ConflictResolver | null };
  readonly signal: AbortSignal;
}

/**
 * Hunk resolutions one landing may go through before the task runs again. Each round after the
 * first means the head moved while the last one was checked (a landing outside the lane, such
 * as work that merged cleanly); past this many, redoing the task on the newest code is surer.
 */
export const maxHunkRounds = 4;

/** A task's title and the summary of its latest handoff, for the other side of a conflict. */
export function intentOf(state: RunState, taskId: string): TaskIntent | null {
  const view = state.tasks.get(taskId);
  if (view === undefined) return null;
  const handoff = view.attempts.findLast((attempt) => attempt.handoff !== null)?.handoff ?? null;
  return { title: view.task.title, summary: handoff?.summary ?? "" };
}

/** One landing's turn in the lanes of the files it conflicted in, and its resolution rounds. */
export class ConflictTurn {
  readonly #lanes: ConflictLanes;
  readonly #held = new Set<string>();
  #release: (() => void) | null = null;
  /** Resolutions made during this landing. */
  rounds = 0;

  constructor(lanes: ConflictLanes) {
    this.#lanes = lanes;
  }

  /**
   * Makes sure this landing holds the lanes of `files`. Resolves true when it had to wait for
   * someone else's turn (the conflict it saw is stale: the head has moved since).
   */
  async hold(files: readonly string[], signal: AbortSignal): Promise<boolean> {
    if (files.every((file) => this.#held.has(file))) return false;
    // Taking lanes while holding others could wait in a circle: give them back, take all at once.
    const wanted = [...this.#held, ...files];
    this.release();
    const { release, waited } = await this.#lanes.acquire(wanted, signal);
    this.#release = release;
    for (const file of wanted) this.#held.add(file);
    return waited;
  }

  release(): void {
    this.#release?.();
    this.#release = null;
    this.#held.clear();
  }
}

/**
 * The resolution step for a conflict the queue sent back (docs/decisions/0013): takes the turn
 * in the conflicted files' lanes (after a wait the same commit lands again first, to meet the
 * newest head), then one model call on the conflicted hunks, verified by the checks. Records a
 * `conflict-resolution` event for each resolution and returns the commit to land next, or null
 * when the task must run again (no resolver, no snapshot of the conflict, too many rounds, or
 * the step failed). Returns null when the signal aborts.
 */
export async function resolveAtHunkSize(
  context: ConflictContext,
  view: TaskView,
  attempt: number,
  commit: string,
  outcome: Extract<LandingOutcome, { kind: "conflict" }>,
  turn: ConflictTurn,
): Promise<string | null> {
  const { engine, deps } = context;
  const resolver = deps.resolver;
  if (resolver === null || resolver === undefined || outcome.conflict === undefined) return null;
  try {
    if (await turn.hold(outcome.files, context.signal)) return commit;
  } catch (error) {
    if (context.signal.aborted) return null;
    throw error;
  }
  if (turn.rounds >= maxHunkRounds) {
    engine.append({
      type: "log",
      level: "info",
      message: `${view.task.id}: ${turn.rounds} hunk resolutions lost the race to newer landings; the task runs again on the newest code`,
      taskId: view.task.id,
    });
    return null;
  }
  turn.rounds += 1;
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
    reason: result.kind === "resolved" ? `resolved in round ${turn.rounds}` : result.reason,
  });
  return result.kind === "resolved" ? result.commit : null;
}

/**
 * After an attempt that re-ran the task because its previous work conflicted: records which
 * path answered that conflict (a whole new attempt) and what it cost.
 */
export function recordRerun(context: ConflictContext, view: TaskView, report: AttemptReport): void {
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
