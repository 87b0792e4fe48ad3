import { describe, expect, it } from "vitest";
import type { AttemptScript } from "./__fixtures__/fake-ports.js";
import { type FakeRun, fakeRun } from "./__fixtures__/fake-run.js";
import type { AttemptRequest } from "./ports.js";

const five = ["one", "two", "three", "four", "five"].map((title) => ({ title }));
const refusal = "The run budget of 40000 tokens would be exceeded: 40210 tokens used";
const taskRefusal = "The task budget of 40000 tokens would be exceeded: 40210 tokens used";

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}

/**
 * What the agent loop does when the model client refuses a call for MAX_TOKENS (or, with `scope`
 * task, TASK_MAX_TOKENS): the client records the refusal, the attempt stops.
 */
function refuseTokens(request: AttemptRequest, scope: "run" | "task" = "run"): ReturnType<AttemptScript> {
  request.emit({
    type: "budget-refuse",
    scope,
    kind: "tokens",
    taskId: request.task.id,
    limit: 40_000,
    used: 40_210,
  });
  return { outcome: "budget", commit: null, reason: scope === "run" ? refusal : taskRefusal };
}

describe("budgets", () => {
  it("stops dispatching at a token budget refusal: running work still lands, the refused task waits for a resume", async () => {
    const run: FakeRun = await fakeRun({
      planner: { tasks: five, onGiveUp: "leave" },
      settings: { maxWorkers: 2 },
      attempt: async (request) => {
        if (request.task.id === "t0002") return refuseTokens(request);
        if (request.task.id === "t0001") await until(() => run.engine.state.draining);
        return {};
      },
    });
    const result = await run.engine.run(run.start);
    expect(run.harness.requests.map((request) => request.task.id).sort()).toEqual(["t0001", "t0002"]);
    expect(run.lander.landed).toEqual(["t0001"]);
    const refused = run.engine.state.tasks.get("t0002")!;
    expect(refused.task.state).toBe("ready");
    expect(run.planner.gaveUp).toEqual([]);
    expect(run.log.read().filter((event) => event.type === "budget-refuse")).toHaveLength(1);
    expect(result).toEqual({
      runId: "r-fake",
      status: "red",
      interrupted: false,
      head: "h1-t0001",
      reason: `stopped by a budget: budget reached: ${refusal}; 4 of 5 required tasks did not land (unfinished: t0002, t0003, t0004, t0005)`,
    });
  });

  it("does not count a refused attempt as the task's failure, even its last one", async () => {
    const run = await fakeRun({
      planner: { tasks: five.slice(0, 2), onGiveUp: "leave" },
      settings: { maxWorkers: 1, maxAttempts: 2 },
      attempt: (request) =>
        request.attempt === 1
          ? { outcome: "failed", commit: null, reason: "tests fail" }
          : refuseTokens(request),
    });
    const result = await run.engine.run(run.start);
    const task = run.engine.state.tasks.get("t0001")!;
    expect(task.attempts.map((attempt) => attempt.outcome)).toEqual(["failed", "budget"]);
    expect(task.task.state).toBe("ready");
    expect(run.planner.gaveUp).toEqual([]);
    expect(result.reason).toBe(
      `stopped by a budget: budget reached: ${refusal}; 2 of 2 required tasks did not land (unfinished: t0001, t0002)`,
    );
  });

  it("fails a task over its own cap (TASK_MAX_TOKENS) at once and hands it to the planner, while the run goes on", async () => {
    const run = await fakeRun({
      planner: { tasks: five.slice(0, 3), onGiveUp: "leave" },
      settings: { maxWorkers: 1, maxAttempts: 3 },
      attempt: (request) => (request.task.id === "t0001" ? refuseTokens(request, "task") : {}),
    });
    const result = await run.engine.run(run.start);
    const task = run.engine.state.tasks.get("t0001")!;
    // Its spending counts across attempts, so another attempt would be refused too: none is made.
    expect(task.attempts.map((attempt) => [attempt.outcome, attempt.refusedBy])).toEqual([
      ["budget", "task"],
    ]);
    expect(task.task.state).toBe("failed");
    expect(task.lastReason).toBe(`over the task's own budget: ${taskRefusal}`);
    expect(run.planner.gaveUp.map((entry) => entry.taskId)).toEqual(["t0001"]);
    // The run was not drained: the other tasks ran and landed.
    expect(run.engine.state.draining).toBe(false);
    expect(run.lander.landed).toEqual(["t0002", "t0003"]);
    expect(result.status).toBe("red");
    expect(result.reason).not.toMatch(/stopped by a budget/);
  });
});
