import type { LongshotEvent } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { RecordingJudge } from "./__fixtures__/fake-ports.js";
import { type FakeRun, fakeRun } from "./__fixtures__/fake-run.js";

const five = ["one", "two", "three", "four", "five"].map((title) => ({ title }));

/** Resolves once `condition` holds; the fakes answer at once, so this takes a few turns of the loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}

function seqOf(events: readonly LongshotEvent[], type: LongshotEvent["type"]): number[] {
  return events.filter((event) => event.type === type).map((event) => event.seq);
}

function states(run: FakeRun): Record<string, string> {
  return Object.fromEntries(
    [...run.engine.state.tasks.values()].map((view) => [view.task.id, view.task.state]),
  );
}

describe("draining", () => {
  it("lets running work finish and land on the first stop, and starts nothing new", async () => {
    const run: FakeRun = await fakeRun({
      planner: { tasks: five },
      settings: { maxWorkers: 2 },
      attempt: async (request) => {
        if (request.task.id === "t0002") run.engine.send({ type: "stop" });
        // t0001 is still working when the stop comes.
        else await until(() => run.engine.state.draining);
        return {};
      },
    });
    const result = await run.engine.run(run.start);
    expect(result).toMatchObject({ status: "stopped", reason: "stopped by user", interrupted: true });
    expect([...run.lander.landed].sort()).toEqual(["t0001", "t0002"]);
    expect(run.harness.requests.map((request) => request.task.id).sort()).toEqual(["t0001", "t0002"]);
    expect(states(run)).toEqual({
      t0001: "landed",
      t0002: "landed",
      t0003: "ready",
      t0004: "ready",
      t0005: "ready",
    });
    const events = run.log.read();
    const [drain] = seqOf(events, "run-drain");
    expect(seqOf(events, "run-drain")).toHaveLength(1);
    expect(seqOf(events, "attempt-start").every((seq) => seq < drain!)).toBe(true);
    expect(events.at(-1)?.type).toBe("run-end");
  });

  it("still reviews and lands work that was handed off when the stop came", async () => {
    const judge = new RecordingJudge(() => {
      run.engine.send({ type: "stop" });
      return { accepted: true, feedback: "fine" };
    });
    const run = await fakeRun({ planner: { tasks: five }, settings: { maxWorkers: 1 }, judge });
    const result = await run.engine.run(run.start);
    expect(result).toMatchObject({ status: "stopped", interrupted: true });
    expect(run.lander.landed).toEqual(["t0001"]);
    expect(judge.reviews).toHaveLength(1);
    // The next task took t0001's slot while it was in review, but had not started when the stop came.
    expect(run.harness.requests.map((request) => request.task.id)).toEqual(["t0001"]);
    expect(states(run)).toMatchObject({ t0002: "ready", t0003: "ready" });
  });

  it("leaves a task whose attempt fails during the drain ready for a resumed run, neither retried nor failed", async () => {
    const run: FakeRun = await fakeRun({
      planner: { tasks: five, onGiveUp: "leave" },
      settings: { maxWorkers: 2, maxAttempts: 2 },
      attempt: async (request) => {
        if (request.task.id === "t0002") {
          run.engine.send({ type: "stop" });
          return {};
        }
        await until(() => run.engine.state.draining);
        return { outcome: "failed", commit: null, reason: "tests fail" };
      },
    });
    await run.engine.run(run.start);
    const failing = run.engine.state.tasks.get("t0001")!;
    expect(failing.task.state).toBe("ready");
    expect(failing.lastReason).toBe("tests fail; left for a resumed run");
    expect(failing.attempts).toHaveLength(1);
    expect(run.planner.gaveUp).toEqual([]);
  });

  it("aborts on the second stop: running attempts are cancelled, their sandboxes torn down, their tasks kept for a resume", async () => {
    const run: FakeRun = await fakeRun({
      planner: { tasks: five, onGiveUp: "leave" },
      settings: { maxWorkers: 2 },
      attempt: async (request) => {
        if (request.task.id === "t0002") {
          await until(() => run.harness.requests.length === 2);
          run.engine.send({ type: "stop" });
          run.engine.send({ type: "abort", reason: "stopped twice" });
        }
        // The agents work on until their sandboxes are torn down under them.
        if (!request.signal.aborted)
          await new Promise((resolve) => request.signal.addEventListener("abort", resolve, { once: true }));
        throw new Error("sandbox gone");
      },
    });
    const result = await run.engine.run(run.start);
    expect(result).toMatchObject({ status: "stopped", reason: "aborted", interrupted: true });
    expect(run.lander.requests).toEqual([]);
    expect(run.sandboxes.live).toBe(0);
    const events = run.log.read();
    expect(seqOf(events, "sandbox-destroy")).toHaveLength(seqOf(events, "sandbox-create").length);
    expect(states(run)).toMatchObject({ t0001: "ready", t0002: "ready" });
    for (const id of ["t0001", "t0002"])
      expect(run.engine.state.tasks.get(id)!.attempts.map((attempt) => attempt.outcome)).toEqual([
        "cancelled",
      ]);
    expect(run.planner.gaveUp).toEqual([]);
    expect(seqOf(events, "run-drain")).toHaveLength(1);
    // Followers of the log stop at run-end: it comes after the teardown and the tasks' last moves.
    expect(events.at(-1)?.type).toBe("run-end");
  });
});
