import { ManualClock } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { AttemptWatchdog } from "./attempt-watchdog.js";

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("AttemptWatchdog", () => {
  it("restarts the stuck timer on activity and fires stuck after a quiet spell", async () => {
    const clock = new ManualClock(0);
    const watchdog = new AttemptWatchdog(
      clock,
      { wallTimeMs: 100_000, stuckTimeoutMs: 10_000 },
      new AbortController().signal,
    );
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
    const watchdog = new AttemptWatchdog(
      clock,
      { wallTimeMs: 20_000, stuckTimeoutMs: 15_000 },
      new AbortController().signal,
    );
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
    const cancelled = new AttemptWatchdog(
      clock,
      { wallTimeMs: 1_000, stuckTimeoutMs: 1_000 },
      controller.signal,
    );
    controller.abort();
    expect(cancelled.reason).toBe("cancelled");

    const stopped = new AttemptWatchdog(
      clock,
      { wallTimeMs: 1_000, stuckTimeoutMs: 1_000 },
      new AbortController().signal,
    );
    stopped.stop();
    clock.advance(5_000);
    await tick();
    expect(stopped.signal.aborted).toBe(false);
  });
});
