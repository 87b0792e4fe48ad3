import { ManualClock } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { type SandboxExpiry, SandboxLifetime } from "./sandbox-lifetime.js";

async function settle(): Promise<void> {
  for (let index = 0; index < 5; index++) await Promise.resolve();
}

function lifetime(wallTimeoutMs: number, idleTimeoutMs: number) {
  const clock = new ManualClock();
  const expiries: SandboxExpiry[] = [];
  const timers = new SandboxLifetime({ wallTimeoutMs, idleTimeoutMs }, clock, (why) => expiries.push(why));
  timers.start();
  /** Moves the clock on by `ms` and lets the timers react. */
  const after = async (ms: number): Promise<void> => {
    clock.advance(ms);
    await settle();
  };
  return { clock, expiries, timers, after };
}

describe("SandboxLifetime", () => {
  it("expires when idle, and activity pushes the idle deadline back", async () => {
    const { clock, expiries, timers, after } = lifetime(100_000, 1_000);
    clock.advance(900);
    timers.begin()();
    await after(900);
    expect(expiries).toEqual([]);
    await after(200);
    expect(expiries).toEqual(["idle-timeout"]);
  });

  it("is never idle while an operation runs, but the wall timer still fires", async () => {
    const { expiries, timers, after } = lifetime(5_000, 1_000);
    const end = timers.begin();
    await after(4_000);
    expect(expiries).toEqual([]);
    await after(1_000);
    expect(expiries).toEqual(["wall-timeout"]);
    end();
    await after(10_000);
    expect(expiries).toEqual(["wall-timeout"]);
  });

  it("fires nothing after stop", async () => {
    const { expiries, timers, after } = lifetime(2_000, 1_000);
    timers.stop();
    await after(10_000);
    expect(expiries).toEqual([]);
  });
});
