import { ManualClock } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { watchLifetime } from "./lifetime-watch.js";

function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A watch from time 0 on a manual clock; `after(ms)` moves the clock on and lets the watch react. */
function watch(activity: { lastActiveAt: number; busy: boolean }) {
  const clock = new ManualClock(0);
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
  const after = async (ms: number): Promise<void> => {
    clock.advance(ms);
    await flush();
  };
  /** Moves the clock on by `ms` and waits for the watch to end; what expired. */
  const endAfter = async (ms: number): Promise<string[]> => {
    clock.advance(ms);
    await done;
    return expired;
  };
  return { clock, expired, controller, done, after, endAfter };
}

describe("watchLifetime", () => {
  it("expires an idle sandbox once the idle time has passed since its last activity", async () => {
    const activity = { lastActiveAt: 0, busy: false };
    const { clock, expired, after, endAfter } = watch(activity);
    clock.advance(600);
    activity.lastActiveAt = 600;
    await after(500);
    expect(expired).toEqual([]);
    expect(await endAfter(600)).toEqual(["idle-timeout"]);
  });

  it("never calls a busy sandbox idle, but ends it at the wall timeout", async () => {
    const { expired, after, endAfter } = watch({ lastActiveAt: 0, busy: true });
    for (let step = 0; step < 9; step += 1) await after(1_000);
    expect(expired).toEqual([]);
    expect(await endAfter(1_000)).toEqual(["wall-timeout"]);
  });

  it("stops quietly when its signal aborts", async () => {
    const { clock, expired, controller, done } = watch({ lastActiveAt: 0, busy: false });
    controller.abort();
    await done;
    clock.advance(20_000);
    expect(expired).toEqual([]);
  });
});
