import { describe, expect, it } from "vitest";
import { MemoryRunLog, SteppedClock } from "./__fixtures__/fake-ports.js";
import { fakeRun } from "./__fixtures__/fake-run.js";

const tasks = ["one", "two", "three", "four", "five", "six"].map((title) => ({ title }));

describe("MAX_WALL_TIME across a resume", () => {
  it("counts the time every process worked on the run, not the time the run was down, nor from zero", async () => {
    const clock = new SteppedClock(1_000_000);
    const log = new MemoryRunLog("r-wall", clock);
    const settings = { maxWorkers: 1, maxWallTimeMs: 25_000 };
    // One process of the run: each attempt takes 10 s, then `afterAttempt` runs.
    const oneProcess = (afterAttempt: () => void = () => {}) =>
      fakeRun({
        runId: "r-wall",
        log,
        clock,
        settings,
        planner: { tasks },
        attempt: () => {
          clock.set(clock.now() + 10_000);
          afterAttempt();
          return {};
        },
      });
    // First process: one attempt, then the user stops it.
    const first = await oneProcess(() => first.engine.send({ type: "stop" }));
    expect(await first.engine.run(first.start)).toMatchObject({ status: "stopped", interrupted: true });

    // An hour later the run is resumed.
    clock.set(clock.now() + 3_600_000);
    const second = await oneProcess();
    const result = await second.engine.run(null);
    expect(result.status).toBe("red");
    expect(result.reason).toMatch(/^stopped by a budget: the MAX_WALL_TIME budget of 25 s is spent/);
    // 10 s before the stop and 20 s after the resume: two attempts fit, a third does not start.
    expect(second.harness.requests.map((request) => request.task.id)).toEqual(["t0002", "t0003"]);
    const refusal = log.read().find((event) => event.type === "budget-refuse");
    expect(refusal).toMatchObject({ kind: "wall-time", limit: 25_000, used: 30_000 });
  });
});
