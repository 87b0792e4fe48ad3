import type { LongshotEvent } from "@longshot/core";
import { describe, expect, it } from "vitest";
import type { RunDisplay } from "./event-output.js";
import { RunInterrupts } from "./interrupts.js";

function fakeDisplay(): RunDisplay & { lines: string[] } {
  const lines: string[] = [];
  return {
    mode: "plain",
    lines,
    note: (line) => lines.push(line),
    status: (line) => lines.push(line),
    progress: () => undefined,
    show: async () => undefined,
    onInterrupt: () => undefined,
    close: async () => undefined,
  };
}

let seq = 0;
const event = (body: Record<string, unknown>): LongshotEvent =>
  ({ runId: "r1", seq: ++seq, at: Date.now(), ...body }) as LongshotEvent;

/** What the events of one planner model call share. */
const plannerCall = { callId: "c1", role: "planner", taskId: null, model: "m", endpoint: "primary" };

/** Feeds events through the tap, as the run's display would. */
async function feed(interrupts: RunInterrupts, events: LongshotEvent[]): Promise<void> {
  async function* source() {
    yield* events;
  }
  for await (const _ of interrupts.tap(source())) {
    // consumed
  }
}

/** Interrupts of a run whose drain may take `drainTimeoutMs`; `sent` records the set-up's stop as "setup". */
function interruptsWith(drainTimeoutMs: number) {
  const display = fakeDisplay();
  const sent: string[] = [];
  const interrupts = new RunInterrupts({ display, drainTimeoutMs, beforeStart: () => sent.push("setup") });
  return { display, sent, interrupts };
}

describe("RunInterrupts", () => {
  it("drains on the first Ctrl+C, says what it waits for, and aborts when the countdown ends", async () => {
    const { display, sent, interrupts } = interruptsWith(1_500);
    interrupts.attach({
      send: (command) => sent.push(`${command.type}${command.reason ? `: ${command.reason}` : ""}`),
    });
    await feed(interrupts, [
      event({ type: "task-transition", taskId: "t0003", from: "ready", to: "running", reason: "dispatched" }),
      event({ type: "model-call-start", ...plannerCall }),
      event({
        type: "model-call-retry",
        ...plannerCall,
        attempt: 2,
        status: 503,
        delayMs: 1000,
        reason: "HTTP 503",
      }),
    ]);
    interrupts.interrupt();
    expect(sent).toEqual(["stop"]);
    expect(display.lines[0]).toBe(
      "Stopping: aborting in 2 s (Ctrl+C again: now); waiting for 1 attempt (t0003), a planner model call (retry 2 at primary, HTTP 503).",
    );
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(sent).toEqual(["stop", "abort: drain timed out"]);
    expect(display.lines.at(-1)).toContain("did not finish within 2 s (DRAIN_TIMEOUT): aborting");
    interrupts.dispose();
  });

  it("aborts at once on the second Ctrl+C, and stops the set-up before the run exists", () => {
    const { display, sent, interrupts } = interruptsWith(60_000);
    interrupts.interrupt();
    expect(sent).toEqual(["setup"]);
    interrupts.attach({ send: (command) => sent.push(command.type) });
    interrupts.interrupt();
    expect(sent).toEqual(["setup", "abort"]);
    expect(display.lines.at(-1)).toBe("Aborting: tearing every sandbox down.");
    interrupts.dispose();
  });

  it("counts down for any drain (a budget, q) and stays quiet once the run has ended", async () => {
    const { display, sent, interrupts } = interruptsWith(60_000);
    interrupts.attach({ send: (command) => sent.push(command.type) });
    await feed(interrupts, [event({ type: "run-drain", reason: "budget reached: usd" })]);
    expect(display.lines[0]).toMatch(
      /^Draining \(budget reached: usd\): aborting in 60 s \(Ctrl\+C again: now\); waiting for nothing more\.$/,
    );
    await feed(interrupts, [event({ type: "run-end", status: "stopped", reason: "drained", head: null })]);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(display.lines).toHaveLength(1);
    expect(sent).toEqual([]);
  });
});
