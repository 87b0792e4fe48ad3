import { describe, expect, it } from "vitest";
import { RecordingJudge, revertingHealth } from "./__fixtures__/fake-ports.js";
import { type FakeRun, fakeRun } from "./__fixtures__/fake-run.js";

/** What each attempt of a task was given: its model and the feedback from the one before. */
function tries(run: FakeRun, taskId: string): [string, string | null][] {
  return run.harness.requests
    .filter((request) => request.task.id === taskId)
    .map((request) => [request.model, request.feedback]);
}

function outcomes(run: FakeRun, taskId: string): (string | null)[] {
  return run.engine.state.tasks.get(taskId)!.attempts.map((attempt) => attempt.outcome);
}

function stateOf(run: FakeRun, taskId: string): string {
  return run.engine.state.tasks.get(taskId)!.task.state;
}

describe("the retry and fail policy", () => {
  it("retries a failing task up to MAX_ATTEMPTS, then fails it, hands it to the planner and gives up its dependents", async () => {
    const run = await fakeRun({
      planner: {
        tasks: [
          { title: "median" },
          { title: "stats page", dependsOn: ["k0"] },
          { title: "stats docs", dependsOn: ["k1"] },
          { title: "sum" },
        ],
        onGiveUp: "leave",
      },
      settings: { maxAttempts: 3 },
      attempt: (request) =>
        request.task.id === "t0001" ? { outcome: "failed", commit: null, reason: "median of [] is NaN" } : {},
    });
    const result = await run.engine.run(run.start);
    // Each retry is told why the last one failed, and a failure flips the model.
    expect(tries(run, "t0001")).toEqual([
      ["worker-model", null],
      ["alt-model", "Attempt 1 ended failed: median of [] is NaN"],
      ["worker-model", "Attempt 2 ended failed: median of [] is NaN"],
    ]);
    expect(stateOf(run, "t0001")).toBe("failed");
    expect(run.planner.gaveUp).toEqual([
      { taskId: "t0001", reason: "median of [] is NaN (attempts exhausted)" },
    ]);
    // Its dependents never run; the unrelated task lands.
    expect(tries(run, "t0002")).toEqual([]);
    expect(tries(run, "t0003")).toEqual([]);
    expect(run.engine.state.tasks.get("t0002")!.lastReason).toBe("dependency t0001 failed");
    expect(run.engine.state.tasks.get("t0003")!.lastReason).toBe("dependency t0002 cancelled");
    expect(run.lander.landed).toEqual(["t0004"]);
    expect(result).toMatchObject({
      status: "red",
      reason: "3 of 4 required tasks did not land (failed: t0001; blocked by a dependency: t0002, t0003)",
    });
  });

  it("lands a task whose retry succeeds, and starts its dependents only after it landed", async () => {
    const run = await fakeRun({
      planner: { tasks: [{ title: "median" }, { title: "stats page", dependsOn: ["k0"] }] },
      attempt: (request) =>
        request.task.id === "t0001" && request.attempt === 1
          ? { outcome: "failed", commit: null, reason: "typecheck fails" }
          : {},
    });
    const result = await run.engine.run(run.start);
    expect(result.status).toBe("green");
    expect(outcomes(run, "t0001")).toEqual(["failed", "complete"]);
    expect(run.lander.landed).toEqual(["t0001", "t0002"]);
    const events = run.log.read();
    const landed = events.findIndex((event) => event.type === "merge-land" && event.taskId === "t0001");
    const started = events.findIndex((event) => event.type === "attempt-start" && event.taskId === "t0002");
    expect(landed).toBeGreaterThan(-1);
    expect(started).toBeGreaterThan(landed);
  });

  it("sends rejected work back with the judge's feedback, on the other model, and lands only the accepted attempt", async () => {
    const judge = new RecordingJudge((input) =>
      input.task.id === "t0001" && input.task.attempts === 1
        ? { accepted: false, feedback: "median of an empty list must throw" }
        : { accepted: true, feedback: "fine" },
    );
    const run = await fakeRun({ planner: { tasks: [{ title: "median" }] }, judge });
    const result = await run.engine.run(run.start);
    expect(result.status).toBe("green");
    expect(tries(run, "t0001")).toEqual([
      ["worker-model", null],
      ["alt-model", "The reviewer rejected attempt 1: median of an empty list must throw"],
    ]);
    // The rejected commit never reached the merge queue.
    expect(run.lander.requests.map((request) => request.commit)).toEqual(["c-t0001-2"]);
    const verdicts = run.log.read().filter((event) => event.type === "judge-verdict");
    expect(verdicts.map((event) => [event.attempt, event.accepted])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it("tears down the sandbox of an attempt that crashed, and retries it as a failure", async () => {
    const run = await fakeRun({
      planner: { tasks: [{ title: "median" }] },
      attempt: (request) => {
        if (request.attempt === 1) throw new Error("the agent's process exited with code 137");
        return {};
      },
    });
    const result = await run.engine.run(run.start);
    expect(result.status).toBe("green");
    expect(outcomes(run, "t0001")).toEqual(["failed", "complete"]);
    expect(tries(run, "t0001")[1]).toEqual([
      "alt-model",
      "Attempt 1 ended failed: the agent's process exited with code 137",
    ]);
    const events = run.log.read();
    const created = events.filter((event) => event.type === "sandbox-create").length;
    expect(events.filter((event) => event.type === "sandbox-destroy")).toHaveLength(created);
    expect(run.sandboxes.live).toBe(0);
  });

  it("stops an attempt that outlives WORKER_TIMEOUT, tears its sandbox down, and retries it on the other model", async () => {
    const run = await fakeRun({
      planner: { tasks: [{ title: "median" }] },
      settings: { workerTimeoutMs: 20 },
      attempt: async (request) => {
        if (request.attempt > 1) return {};
        // The agent hangs until its sandbox is torn down under it.
        await new Promise((resolve) => request.signal.addEventListener("abort", resolve, { once: true }));
        throw new Error("sandbox gone");
      },
    });
    const result = await run.engine.run(run.start);
    expect(result.status).toBe("green");
    expect(outcomes(run, "t0001")).toEqual(["timeout", "complete"]);
    expect(tries(run, "t0001")[1]?.[0]).toBe("alt-model");
    expect(tries(run, "t0001")[1]?.[1]).toMatch(/^Attempt 1 ended timeout: WORKER_TIMEOUT of \d+ s reached$/);
    expect(run.sandboxes.live).toBe(0);
  });

  it("sends work the merge gate refused back for another attempt, telling it why", async () => {
    const run = await fakeRun({ planner: { tasks: [{ title: "median" }] } });
    run.lander.script = (request) =>
      request.attempt === 1 ? { kind: "failed", reason: "the build gate failed for c-t0001-1" } : undefined;
    const result = await run.engine.run(run.start);
    expect(result.status).toBe("green");
    expect(run.lander.requests.map((request) => request.commit)).toEqual(["c-t0001-1", "c-t0001-2"]);
    expect(tries(run, "t0001")[1]?.[1]).toBe(
      "Attempt 1 was accepted, then sent back: landing failed: the build gate failed for c-t0001-1",
    );
  });

  it("fails a task whose landings keep failing once MAX_ATTEMPTS is spent", async () => {
    const run = await fakeRun({ planner: { tasks: [{ title: "median" }], onGiveUp: "leave" } });
    run.lander.script = () => ({ kind: "failed", reason: "the build gate failed" });
    const result = await run.engine.run(run.start);
    expect(run.lander.requests).toHaveLength(2);
    expect(run.engine.state.tasks.get("t0001")!.lastReason).toBe(
      "landing failed: the build gate failed (attempts exhausted)",
    );
    expect(result.status).toBe("red");
  });

  it("tells the retry of a reverted task why its landing was undone", async () => {
    const run = await fakeRun({
      planner: { tasks: [{ title: "median" }], onReverted: "retry" },
      health: (engine) =>
        revertingHealth(
          engine,
          { taskId: "t0001", reason: "it broke the build: sum.ts no longer compiles" },
          () => ({ green: true, reason: "every check passes", commit: "final" }),
        ),
    });
    const result = await run.engine.run(run.start);
    expect(result.status).toBe("green");
    expect(tries(run, "t0001")).toEqual([
      ["worker-model", null],
      [
        "worker-model",
        "Attempt 1 was accepted, then sent back: it broke the build: sum.ts no longer compiles",
      ],
    ]);
  });
});
