import type { MergeRequest } from "../types.js";

/** A request in the queue with its arrival number. */
export interface QueueEntry {
  readonly request: MergeRequest;
  readonly arrival: number;
}

const defaultPriority = 50;

/** Landing order: higher priority first, then earlier arrival. */
export function compareEntries(a: QueueEntry, b: QueueEntry): number {
  const byPriority = (b.request.priority ?? defaultPriority) - (a.request.priority ?? defaultPriority);
  return byPriority !== 0 ? byPriority : a.arrival - b.arrival;
}

/** Dependencies of `entry` not yet in `landed`. */
export function waitingFor(entry: QueueEntry, landed: ReadonlySet<string>): string[] {
  return (entry.request.dependsOn ?? []).filter((taskId) => !landed.has(taskId));
}

/**
 * The next up to `size` requests to integrate, in landing order. A request is eligible when
 * each of its dependencies has landed or is already selected ahead of it, so a task never
 * lands before the tasks it depends on.
 */
export function selectBatch(
  entries: readonly QueueEntry[],
  landed: ReadonlySet<string>,
  size: number,
): QueueEntry[] {
  const selected: QueueEntry[] = [];
  const ahead = new Set<string>();
  const remaining = [...entries].sort(compareEntries);
  while (selected.length < size) {
    const index = remaining.findIndex((entry) =>
      (entry.request.dependsOn ?? []).every((taskId) => landed.has(taskId) || ahead.has(taskId)),
    );
    if (index === -1) break;
    const [next] = remaining.splice(index, 1);
    if (next === undefined) break;
    selected.push(next);
    ahead.add(next.request.taskId);
  }
  return selected;
}
