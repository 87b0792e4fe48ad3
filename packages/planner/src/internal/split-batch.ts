import { InternalError } from "@longshot/core";
import type { KeyedTaskSpec } from "../task-graph.js";

/**
 * Cuts a validated reply's new tasks into batches of at most `size`, in dependency order: each
 * task comes after the tasks of the reply it depends on, and otherwise keeps the model's order,
 * so every batch depends only on itself, earlier batches and existing tasks. A dependency on a
 * task of an earlier batch stays a key; the caller maps it to the id that batch gave it. Throws
 * an InternalError on a dependency cycle (validation rules those out).
 */
export function splitBatch(tasks: readonly KeyedTaskSpec[], size: number): KeyedTaskSpec[][] {
  const keys = new Set(tasks.map((task) => task.key));
  const placed = new Set<string>();
  const ordered: KeyedTaskSpec[] = [];
  const waiting = [...tasks];
  while (waiting.length > 0) {
    const next = waiting.findIndex((task) =>
      (task.spec.dependsOn ?? []).every((reference) => !keys.has(reference) || placed.has(reference)),
    );
    const task = waiting[next];
    if (task === undefined) {
      throw new InternalError(`A dependency cycle among ${waiting.map((entry) => entry.key).join(", ")}.`);
    }
    waiting.splice(next, 1);
    placed.add(task.key);
    ordered.push(task);
  }
  const batches: KeyedTaskSpec[][] = [];
  for (let start = 0; start < ordered.length; start += Math.max(1, size)) {
    batches.push(ordered.slice(start, start + Math.max(1, size)));
  }
  return batches;
}
