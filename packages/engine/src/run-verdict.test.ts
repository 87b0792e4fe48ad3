import { describe, expect, it } from "vitest";
import { FakeHealth, RecordingJudge, revertingHealth } from "./__fixtures__/fake-ports.js";
import { type FakeRun, fakeRun } from "./__fixtures__/fake-run.js";
import { replay } from "./run-state.js";

const six = ["one", "two", "three", "four", "five", "six"].map((title) => ({ title }));
const green = (commit: string) => ({ green: true, reason: `every check passes at ${commit}`, commit });

describe("the verdict of a run", () => {
  it("is red when the planner gave up on failed tasks (5 of 6 failed), naming each", async () => {
    const run = await fakeRun({
      planner: { tasks: six, onGiveUp: "cancel" },
      attempt: (request) =>
        request.task.title === "one" ? {} : { outcome: "failed", commit: null, reason: "tests fail" },
    });
    const result = await run.engine.run(run.start);
    expect(result.status).toBe("red");
    expect(result.reason).toBe(
      "5 of 6 required tasks did not land (given up after failing: t0002, t0003, t0004, t0005, t0006)",
    );
    const states = [...run.engine.state.tasks.values()].map((view) => view.task.state);
    expect(states).toEqual(["landed", "cancelled", "cancelled", "cancelled", "cancelled", "cancelled"]);
  });

  it("is red for a failed task even when the final checks pass", async () => {
    const run = await fakeRun({
      planner: { tasks: six.slice(0, 3), onGiveUp: "leave" },
      attempt: (request) => (request.task.title === "two" ? { outcome: "failed", commit: null } : {}),
      health: () => new FakeHealth(() => green("h2")),
    });
    const result = await run.engine.run(run.start);
    expect(result).toMatchObject({
      status: "red",
      reason: "the checks pass but 1 of 3 required tasks did not land (failed: t0002)",
    });
  });

  it("is green on the commit the final checks passed on, and only then", async () => {
    const run = await fakeRun({
      planner: { tasks: six.slice(0, 2) },
      health: () => new FakeHealth(() => green("verified-commit")),
    });
    const result = await run.engine.run(run.start);
    expect(result).toMatchObject({ status: "green", head: "verified-commit" });
    expect(run.log.read().at(-1)).toMatchObject({
      type: "run-end",
      status: "green",
      head: "verified-commit",
    });
  });

  it("moves a reverted landing out of landed, back to the planner, and stays red unless it lands again", async () => {
    let health: FakeHealth | null = null;
    const run = await fakeRun({
      planner: { tasks: six.slice(0, 2), onReverted: "leave" },
      health: (engine) => {
        health = revertingHealth(engine, { taskId: "t0001", reason: "broke the build" }, () => green("rv1"));
        return health;
      },
    });
    const result = await run.engine.run(run.start);
    expect(run.engine.state.tasks.get("t0001")?.task.state).toBe("reverted");
    expect(run.planner.updates.filter((update) => update.outcome === "reverted")).toEqual([
      { taskId: "t0001", outcome: "reverted", handoff: null, reason: "broke the build" },
    ]);
    expect(result).toMatchObject({
      status: "red",
      reason: "the checks pass but 1 of 2 required tasks did not land (reverted: t0001)",
    });
    expect(health!.finalizations).toBe(1);
  });

  it("finalizes again when the planner retries a reverted task, and is green once it lands again", async () => {
    let health: FakeHealth | null = null;
    const run = await fakeRun({
      planner: { tasks: six.slice(0, 2), onReverted: "retry" },
      health: (engine) => {
        health = revertingHealth(engine, { taskId: "t0001", reason: "broke it" }, (round) =>
          green(round === 1 ? "rv1" : "final"),
        );
        return health;
      },
    });
    const result = await run.engine.run(run.start);
    expect(result).toMatchObject({ status: "green", head: "final" });
    expect(health!.finalizations).toBe(2);
    expect(run.lander.landed.filter((taskId) => taskId === "t0001")).toHaveLength(2);
  });

  it("counts a task whose work was already on the branch as done once the judge agrees, with no landing", async () => {
    const judge = new RecordingJudge();
    const run = await fakeRun({
      planner: { tasks: six.slice(0, 2) },
      judge,
      attempt: (request) => (request.task.id === "t0002" ? { commit: null, reason: "already exported" } : {}),
    });
    const result = await run.engine.run(run.start);
    expect(result.status).toBe("green");
    expect(run.lander.landed).toEqual(["t0001"]);
    const done = run.engine.state.tasks.get("t0002")!;
    expect(done.task.state).toBe("landed");
    expect(done.lastReason).toBe("nothing to land: its work is already on the integration branch");
    expect(judge.reviews.find((review) => review.task.id === "t0002")?.diff).toMatch(/^\(no changes/);
    expect(run.engine.state.landed).toBe(1);
  });

  it("counts a landing that moved nothing as a no-op, not as a landing, live and after a replay", async () => {
    const run = await fakeRun({ planner: { tasks: six.slice(0, 3) } });
    run.lander.noop.add("t0002");
    const result = await run.engine.run(run.start);
    expect(result.status).toBe("green");
    const states = [...run.engine.state.tasks.values()].map((view) => view.task.state);
    expect(states).toEqual(["landed", "landed", "landed"]);
    const lands = run.log.read().filter((event) => event.type === "merge-land");
    // Workers run in parallel, so landings may come in any order.
    expect(lands.map((event) => [event.taskId, event.noop]).sort()).toEqual([
      ["t0001", false],
      ["t0002", true],
      ["t0003", false],
    ]);
    // Three tasks are done, but the integration branch moved twice.
    expect([run.engine.state.landed, run.engine.state.noopLandings]).toEqual([2, 1]);
    expect(run.engine.state.head).toBe(await run.lander.head());
    const resumed = replay("r-fake", run.log.read());
    expect([resumed.landed, resumed.noopLandings]).toEqual([2, 1]);
  });

  it("sends an attempt that changed nothing back when the judge finds the work missing", async () => {
    const run = await fakeRun({
      planner: { tasks: six.slice(0, 1), onGiveUp: "leave" },
      judge: { review: async () => ({ accepted: false, feedback: "median is not there" }) },
      attempt: () => ({ commit: null }),
    });
    const result = await run.engine.run(run.start);
    expect(run.harness.requests.map((request) => [request.model, request.feedback])).toEqual([
      ["worker-model", null],
      ["alt-model", "The reviewer rejected attempt 1: median is not there"],
    ]);
    expect(result).toMatchObject({
      status: "red",
      reason: "1 of 1 required task did not land (failed: t0001)",
    });
  });

  it("names tasks the user cancelled (and those that needed them) without calling the run red", async () => {
    let engineRef: { send: (command: { type: "cancel-task"; taskId: string }) => void } | null = null;
    const run = await fakeRun({
      planner: {
        tasks: [{ title: "one" }, { title: "two", dependsOn: ["k0"] }, { title: "three", dependsOn: ["k1"] }],
      },
      attempt: (request) => {
        if (request.task.id === "t0001") engineRef?.send({ type: "cancel-task", taskId: "t0002" });
        return {};
      },
    });
    engineRef = run.engine;
    const result = await run.engine.run(run.start);
    expect(result.status).toBe("green");
    expect(result.reason).toContain("2 tasks cancelled by the user: t0002, t0003");
  });

  it("is red when a budget stops the run, naming the budget and the unfinished tasks", async () => {
    const run = await fakeRun({
      planner: { tasks: six.slice(0, 3) },
      settings: { maxWorkers: 1 },
      attempt: (request) =>
        request.task.id === "t0002"
          ? { outcome: "budget", commit: null, reason: "MAX_COST_USD of 1 reached" }
          : {},
    });
    const result = await run.engine.run(run.start);
    expect(result).toMatchObject({ status: "red", interrupted: false });
    expect(result.reason).toBe(
      "stopped by a budget: budget reached: MAX_COST_USD of 1 reached; 2 of 3 required tasks did not land (unfinished: t0002, t0003)",
    );
  });

  it("stays red for the budget when its drain is cut short (DRAIN_TIMEOUT aborts the run)", async () => {
    let abort: (() => void) | null = null;
    const run: FakeRun = await fakeRun({
      planner: { tasks: six.slice(0, 3) },
      settings: { maxWorkers: 2 },
      attempt: async (request) => {
        if (request.task.id === "t0001")
          return { outcome: "budget", commit: null, reason: "MAX_TOKENS of 10 reached" };
        // t0002 is still running when the budget's drain times out.
        while (!run.engine.state.draining) await new Promise((resolve) => setTimeout(resolve, 5));
        abort?.();
        return {};
      },
    });
    abort = () => run.engine.send({ type: "abort", reason: "drain timed out" });
    const result = await run.engine.run(run.start);
    expect(result).toMatchObject({ status: "red", interrupted: false });
    expect(result.reason).toMatch(/^stopped by a budget: budget reached: MAX_TOKENS of 10 reached; /);
  });

  it("reports a user's stop as a stop, not as a failure", async () => {
    let stop: (() => void) | null = null;
    const run = await fakeRun({
      planner: { tasks: six.slice(0, 3) },
      settings: { maxWorkers: 1 },
      attempt: () => {
        stop?.();
        return {};
      },
    });
    stop = () => run.engine.send({ type: "stop" });
    const result = await run.engine.run(run.start);
    expect(result).toMatchObject({ status: "stopped", reason: "stopped by user", interrupted: true });
  });
});
