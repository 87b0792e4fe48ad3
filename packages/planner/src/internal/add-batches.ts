import type { NewEvent, Task } from "@longshot/core";
import type { KeyedTaskSpec } from "../task-graph.js";
import type { PlannerSession } from "./planner-session.js";

/** What adding the slices of one reply did. */
export interface AddedBatches {
  /** The new tasks, slice by slice, in the order they were added. */
  readonly tasks: readonly Task[];
  /** The graph's events, with a `plan-start` before every slice but the first and a `plan-batch` after each but the last. */
  readonly events: readonly NewEvent[];
  /** The last slice's `plan-batch`, for the caller to publish after its other changes. */
  readonly close: NewEvent;
  /** The number of the last slice's batch. */
  readonly last: number;
}

/**
 * Adds the slices `splitBatch` cut from one reply as consecutive batches numbered from `first`,
 * records every task's key, and returns the events in order. A dependency on a task of an
 * earlier slice is still a key; it is mapped here to the id that slice gave it. `final(index)`
 * says whether the `plan-batch` of slice `index` closes the plan. No slices make one empty batch.
 */
export function addBatches(
  session: PlannerSession,
  slices: readonly (readonly KeyedTaskSpec[])[],
  first: number,
  final: (index: number) => boolean,
): AddedBatches {
  const all = slices.length === 0 ? [[]] : slices;
  const tasks: Task[] = [];
  const events: NewEvent[] = [];
  let close: NewEvent | undefined;
  for (const [index, slice] of all.entries()) {
    const added = addSlice(session, slice);
    tasks.push(...added.tasks);
    if (close !== undefined) events.push(close, { type: "plan-start", batch: first + index });
    const taskIds = added.tasks.map((task) => task.id);
    events.push(...added.events);
    close = { type: "plan-batch", batch: first + index, taskIds, final: final(index) };
  }
  // `all` is never empty, so the loop set `close`.
  return { tasks, events, close: close as NewEvent, last: first + all.length - 1 };
}

function addSlice(
  session: PlannerSession,
  slice: readonly KeyedTaskSpec[],
): { readonly tasks: readonly Task[]; readonly events: readonly NewEvent[] } {
  const { graph, state } = session;
  const own = new Set(slice.map((entry) => entry.key));
  const idOf = (reference: string): string =>
    !own.has(reference) && Object.hasOwn(state.keys, reference)
      ? (state.keys[reference] ?? reference)
      : reference;
  const entries = slice.map((entry) => ({
    key: entry.key,
    spec: { ...entry.spec, dependsOn: (entry.spec.dependsOn ?? []).map(idOf) },
  }));
  const added = graph.addAll(entries);
  for (const [index, task] of added.value.entries()) {
    const key = entries[index]?.key;
    if (key !== undefined) state.keys[key] = task.id;
  }
  return { tasks: added.value, events: added.events };
}
