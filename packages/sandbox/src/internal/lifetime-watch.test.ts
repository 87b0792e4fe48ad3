import { ManualClock } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { watchLifetime } from "./lifetime-watch.js";

function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function watch(clock: ManualClock, activity: { lastActiveAt: number; busy: boolean }) {
  const expired: string[] = [];
  const controller = new AbortController();
  const done = watchLifetime({
    clock,
    createdAt: 0,
    wallTimeoutMs: 10_000,
    idleTimeoutMs: 1_000,
    activity: () => activity,
    expire: (reason) => expired.push(reason),
    signal: controller.signal,
  });
  return { expired, controller, done };
}

describe("watchLifetime", () => {
  it("expires an idle sandbox once the idle time has passed since its last activity", async () => {
    const clock = new ManualClock(0);
    const activity = { lastActiveAt: 0, busy: false };
    const { expired, done } = watch(clock, activity);
    clock.advance(600);
    activity.lastActiveAt = 600;
    clock.advance(500);
    await flush();
    expect(expired).toEqual([]);
    clock.advance(600);
    await done;
    expect(expired).toEqual(["idle-timeout"]);
  });

  it("never calls a busy sandbox idle, but ends it at the wall timeout", async () => {
    const clock = new ManualClock(0);
    const { expired, done } = watch(clock, { lastActiveAt: 0, busy: true });
    for (let step = 0; step < 9; step += 1) {
      clock.advance(1_000);
      await flush();
    }
    expect(expired).toEqual([]);
    clock.advance(1_000);
    await done;
    expect(expired).toEqual(["wall-timeout"]);
  });

  it("stops quietly when its signal aborts", async () => {
    const clock = new ManualClock(0);
    const { expired, controller, done } = watch(clock, { lastActiveAt: 0, busy: false });
    controller.abort();
    await done;
    clock.advance(20_000);
    expect(expired).toEqual([]);
  });
});
