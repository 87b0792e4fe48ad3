import { ManualClock } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { TokenWindow } from "./token-window.js";

const signal = new AbortController().signal;

describe("TokenWindow", () => {
  it("holds requests until the tokens of the last minute make room", async () => {
    const clock = new ManualClock(0);
    const window = new TokenWindow(1000, clock);
    await window.take(600, signal);
    clock.advance(10_000);
    const grant = await window.take(300, signal);
    let admitted = false;
    const waiting = window.take(500, signal).then(() => {
      admitted = true;
    });
    await Promise.resolve();
    clock.advance(40_000);
    await Promise.resolve();
    expect(admitted).toBe(false);
    // The first 600 tokens leave the window one minute after they were sent.
    clock.advance(10_000);
    await waiting;
    expect(admitted).toBe(true);
    grant.settle(100);
    expect(window.used()).toBe(600);
  });

  it("lets a request larger than the limit go alone", async () => {
    const window = new TokenWindow(100, new ManualClock(0));
    await window.take(5000, signal);
    expect(window.used()).toBe(5000);
  });
});
