import type { LongshotEvent } from "@longshot/core";
import { percentile } from "./swarm-metrics.ts";

/** How fast the merge queue landed work inside a swarm run. */
export interface LandingRate {
  readonly landed: number;
  /** Time in which at least one accepted attempt waited for the queue, s. */
  readonly busySeconds: number;
  /** Landings per second of that time: the queue's throughput in the swarm, comparable to its own benchmark. */
  readonly perSecond: number;
  /** Accepted to landed (merge-enqueue to merge-land), ms. */
  readonly latencyMeanMs: number;
  readonly latencyP95Ms: number;
}

/**
 * Reads the queue's pace from the events: every attempt that landed was waiting from its
 * `merge-enqueue` to its `merge-land`; the union of those intervals is when the queue had work.
 */
export function landingRate(events: readonly LongshotEvent[]): LandingRate {
  const waiting = new Map<string, number>();
  const intervals: [number, number][] = [];
  for (const event of events) {
    if (event.type === "merge-enqueue") waiting.set(`${event.taskId}#${event.attempt}`, event.at);
    else if (event.type === "merge-land") {
      const since = waiting.get(`${event.taskId}#${event.attempt}`);
      if (since !== undefined) intervals.push([since, event.at]);
    }
  }
  intervals.sort((a, b) => a[0] - b[0]);
  let busy = 0;
  let open: [number, number] | null = null;
  for (const [from, to] of intervals) {
    if (open === null || from > open[1]) {
      if (open !== null) busy += open[1] - open[0];
      open = [from, to];
    } else open[1] = Math.max(open[1], to);
  }
  if (open !== null) busy += open[1] - open[0];
  const latencies = intervals.map(([from, to]) => to - from).sort((a, b) => a - b);
  const busySeconds = busy / 1000;
  return {
    landed: intervals.length,
    busySeconds,
    perSecond: busySeconds > 0 ? intervals.length / busySeconds : 0,
    latencyMeanMs:
      latencies.length === 0 ? 0 : latencies.reduce((sum, value) => sum + value, 0) / latencies.length,
    latencyP95Ms: latencies.length === 0 ? 0 : percentile(latencies, 0.95),
  };
}
