import type { LongshotEvent } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { landingRate } from "./landing-rate.ts";

function event(type: "merge-enqueue" | "merge-land", taskId: string, at: number, attempt = 1): LongshotEvent {
  const body =
    type === "merge-enqueue"
      ? { type, taskId, attempt, commit: "c" }
      : { type, taskId, attempt, sha: "s", previous: "p", strategy: "rebase" as const };
  return { ...body, seq: at, at, runId: "r" } as unknown as LongshotEvent;
}

describe("landingRate", () => {
  it("counts landings over the time the queue had work, not over the whole run", () => {
    const events = [
      event("merge-enqueue", "a", 1_000),
      event("merge-enqueue", "b", 1_500),
      event("merge-land", "a", 2_000),
      event("merge-land", "b", 3_000),
      // Idle for a minute, then one more, and an attempt that never landed.
      event("merge-enqueue", "c", 63_000),
      event("merge-land", "c", 64_000),
      event("merge-enqueue", "d", 70_000),
    ];
    const rate = landingRate(events);
    expect(rate.landed).toBe(3);
    expect(rate.busySeconds).toBe(3);
    expect(rate.perSecond).toBe(1);
    expect(rate.latencyMeanMs).toBe(1_166.6666666666667);
    expect(rate.latencyP95Ms).toBe(1_500);
  });

  it("matches an attempt's landing to its own enqueue", () => {
    const rate = landingRate([
      event("merge-enqueue", "a", 0, 1),
      event("merge-enqueue", "a", 5_000, 2),
      event("merge-land", "a", 5_500, 2),
    ]);
    expect(rate).toMatchObject({ landed: 1, latencyMeanMs: 500 });
    expect(landingRate([]).perSecond).toBe(0);
  });
});
