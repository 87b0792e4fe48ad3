import type { LongshotEvent, NewEvent, Task } from "@longshot/core";
import { applyEvent, emptyRunState, type RunState } from "../run-state.js";

/** The start of run `r1`, as the tests of its folded state record it. */
export const runStart: NewEvent = {
  type: "run-start",
  request: "Build per SPEC.md",
  repo: "/r",
  baseCommit: "base",
  targetBranch: "main",
  integrationBranch: "longshot/r1/integration",
  settings: {},
};

/** Folds events into a fresh state of run `r1`, each with the next sequence number (and that as its time). */
export function stateRecorder(): { readonly state: RunState; record(event: NewEvent): LongshotEvent } {
  const state = emptyRunState("r1");
  let seq = 0;
  return {
    state,
    record(event) {
      seq += 1;
      const recorded = { runId: "r1", seq, at: seq, ...event } as LongshotEvent;
      applyEvent(state, recorded);
      return recorded;
    },
  };
}

/** Run `r1` started, with `tasks` added and, when `planComplete`, its plan declared complete. */
export function runStateOf(tasks: readonly Task[], planComplete = false): RunState {
  const { state, record } = stateRecorder();
  record(runStart);
  for (const task of tasks) record({ type: "task-add", task });
  if (planComplete) record({ type: "plan-complete", reason: "done" });
  return state;
}
