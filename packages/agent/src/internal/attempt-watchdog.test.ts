import { ManualClock } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { AttemptWatchdog } from "./attempt-watchdog.js";

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A watchdog on `clock` with the given wall and stuck limits; the caller never cancels unless `signal` says so. */
function watchdogOn(
  clock: ManualClock,
  wallTimeMs: number,
  stuckTimeoutMs: number,
  signal = new AbortController().signal,
): AttemptWatchdog {
  return new AttemptWatchdog(clock, { wallTimeMs, stuckTimeoutMs }, signal);
}

describe("AttemptWatchdog", () => {
  it("restarts the stuck timer on activity and fires stuck after a quiet spell", async () => {
    const clock = new ManualClock(0);
    const watchdog = watchdogOn(clock, 100_000, 10_000);
    clock.advance(9_000);
    watchdog.touch();
    clock.advance(9_000);
    await tick();
    expect(watchdog.signal.aborted).toBe(false);
    clock.advance(1_000);
    await tick();
    expect(watchdog.signal.aborted).toBe(true);
    expect(watchdog.reason).toBe("stuck");
  });

  it("fires timeout at the wall deadline even while active", async () => {
    const clock = new ManualClock(0);
    const watchdog = watchdogOn(clock, 20_000, 15_000);
    for (let elapsed = 0; elapsed < 20_000; elapsed += 5_000) {
      clock.advance(5_000);
      watchdog.touch();
      await tick();
    }
    expect(watchdog.reason).toBe("timeout");
  });

  it("reports the caller's cancellation, and nothing after stop()", async () => {
    const controller = new AbortController();
    const clock = new ManualClock(0);
    const cancelled = watchdogOn(clock, 1_000, 1_000, controller.signal);
    controller.abort();
    expect(cancelled.reason).toBe("cancelled");

    const stopped = watchdogOn(clock, 1_000, 1_000);
    stopped.stop();
    clock.advance(5_000);
    await tick();
    expect(stopped.signal.aborted).toBe(false);
  });
});
