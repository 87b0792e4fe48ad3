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
  return { clock, expiries, timers };
}

describe("SandboxLifetime", () => {
  it("expires when idle, and activity pushes the idle deadline back", async () => {
    const { clock, expiries, timers } = lifetime(100_000, 1_000);
    clock.advance(900);
    timers.begin()();
    clock.advance(900);
    await settle();
    expect(expiries).toEqual([]);
    clock.advance(200);
    await settle();
    expect(expiries).toEqual(["idle-timeout"]);
  });

  it("is never idle while an operation runs, but the wall timer still fires", async () => {
    const { clock, expiries, timers } = lifetime(5_000, 1_000);
    const end = timers.begin();
    clock.advance(4_000);
    await settle();
    expect(expiries).toEqual([]);
    clock.advance(1_000);
    await settle();
    expect(expiries).toEqual(["wall-timeout"]);
    end();
    clock.advance(10_000);
    await settle();
    expect(expiries).toEqual(["wall-timeout"]);
  });

  it("fires nothing after stop", async () => {
    const { clock, expiries, timers } = lifetime(2_000, 1_000);
    timers.stop();
    clock.advance(10_000);
    await settle();
    expect(expiries).toEqual([]);
  });
});
