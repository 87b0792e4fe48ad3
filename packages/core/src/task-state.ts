import { z } from "zod";

/**
 * The life of a task:
 *
 * pending ─► ready ─► running ─► review ─► merging ─► landed ─► reverted
 *    │         ▲ ▲        │         │          │                     │
 *    │         │ └────────┴─────────┴──────────┘ (retry, rejection,   │
 *    ▼         ▼                                   conflict re-run)   │
 * split · cancelled · failed ◄───────────────────────────────────────┘
 *
 * `failed` (attempts exhausted) and `reverted` (the reconciler undid the landing) go back to the
 * planner, which retries, splits or cancels them; cancelling one gives the work up.
 */
export const taskStates = [
  "pending",
  "ready",
  "running",
  "review",
  "merging",
  "landed",
  "reverted",
  "failed",
  "cancelled",
  "split",
] as const;

export const TaskStateSchema = z.enum(taskStates);
export type TaskState = z.infer<typeof TaskStateSchema>;

const transitions: Readonly<Record<TaskState, readonly TaskState[]>> = {
  pending: ["ready", "cancelled", "split"],
  ready: ["running", "pending", "cancelled", "split"],
  running: ["review", "merging", "ready", "failed", "cancelled"],
  review: ["merging", "ready", "failed", "cancelled"],
  merging: ["landed", "ready", "failed", "cancelled"],
  landed: ["reverted"],
  reverted: ["ready", "split", "cancelled"],
  failed: ["ready", "split", "cancelled"],
  cancelled: [],
  split: [],
};

/**
 * States a task never leaves on its own. `failed` and `reverted` can still be retried or split by
 * the planner, and a `landed` task becomes `reverted` when the reconciler undoes its landing.
 */
export function isTerminal(state: TaskState): boolean {
  return (
    state === "landed" ||
    state === "cancelled" ||
    state === "split" ||
    state === "failed" ||
    state === "reverted"
  );
}

/** States in which a task's work is not on the integration branch and the planner must act. */
export function needsPlanner(state: TaskState): boolean {
  return state === "failed" || state === "reverted";
}

/** Legal next states of a task in `state`. */
export function nextStates(state: TaskState): readonly TaskState[] {
  return transitions[state];
}

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

/** Whether a task may move from `from` to `to`; a pure decision with the reason when it may not. */
export function checkTransition(from: TaskState, to: TaskState): TransitionCheck {
  if (transitions[from].includes(to)) return { ok: true };
  const allowed = transitions[from];
  return {
    ok: false,
    reason:
      allowed.length === 0
        ? `a ${from} task cannot change state`
        : `a ${from} task can only become ${allowed.join(", ")}, not ${to}`,
  };
}
