import type { LongshotEvent } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { criticPolicy } from "./__fixtures__/critic-policy.js";
import { samplePerTest } from "./__fixtures__/sample-run.js";

const openSample = samplePerTest();

const models = ["m-planner", "m-worker", "m-alt", "m-judge", "m-fixer", "m-critic"];

// A real swarm (git, worktree sandboxes, merge queue, health checks) on a shared machine: the
// limit is generous on purpose; the work, not the clock, is what the test checks.
describe("per-role models", () => {
  it("routes planner, worker, alternate worker, judge, fixer and critic to their own models, as the ledger shows", async () => {
    const sample = await openSample({
      modules: 6,
      workers: 3,
      models,
      scenario: { rejectModules: ["sum"], breakModules: ["mean"] },
      env: {
        LLM_PLANNER_MODEL: "m-planner",
        LLM_WORKER_MODEL: "m-worker",
        LLM_ALT_WORKER_MODEL: "m-alt",
        LLM_JUDGE_MODEL: "m-judge",
        LLM_FIXER_MODEL: "m-fixer",
        LLM_CRITIC_MODEL: "m-critic",
        CRITIC_EVERY: "4",
        CRITICS: "coverage",
      },
      policy: criticPolicy,
    });
    const runId = "r-e2e-roles";
    const { engine, start } = await sample.open(runId, "Build per SPEC.md");
    const result = await engine.run(start);
    expect(result.status).toBe("green");

    const tasks = sample.store.listTasks(runId);
    const kindOf = new Map(tasks.map((task) => [task.id, task.kind]));
    const calls = sample.store
      .events(runId, { types: ["model-call-end"] })
      .flatMap((event: LongshotEvent) => (event.type === "model-call-end" ? [event] : []));
    const pairs = (filter: (call: (typeof calls)[number]) => boolean) =>
      [...new Set(calls.filter(filter).map((call) => `${call.role}:${call.model}`))].sort();

    // The planner and the judge: their roles, their models, nothing else.
    expect(pairs((call) => call.role === "planner" || call.role === "subplanner")).toEqual([
      "planner:m-planner",
    ]);
    expect(pairs((call) => call.role === "judge")).toEqual(["judge:m-judge"]);
    // Workers: the worker model, and the alternate after the judge rejected sum's first attempt.
    const sum = tasks.find((task) => task.title === "Implement sum")!;
    expect(sample.store.getTask(runId, sum.id)!.attempts.map((attempt) => attempt.model)).toEqual([
      "m-worker",
      "m-alt",
    ]);
    expect(pairs((call) => call.taskId === sum.id)).toEqual([
      "judge:m-judge",
      "worker:m-alt",
      "worker:m-worker",
    ]);
    // Fix tasks on the fixer model, critics on the critic model, in every call they made.
    const fixes = tasks.filter((task) => task.kind === "fix");
    const critics = tasks.filter((task) => task.kind === "critic");
    expect(fixes.length).toBeGreaterThan(0);
    expect(critics.length).toBeGreaterThan(0);
    const agentModels = (kind: string) => [
      ...new Set(
        calls
          .filter((call) => call.taskId !== null && kindOf.get(call.taskId) === kind && call.role !== "judge")
          .map((call) => call.model),
      ),
    ];
    expect(agentModels("fix")).toEqual(["m-fixer"]);
    expect(agentModels("critic")).toEqual(["m-critic"]);
    // The ledger (cost by model) has every one of them.
    expect(
      sample.store
        .costByModel(runId)
        .map((row) => row.key)
        .sort(),
    ).toEqual([...models].sort());
  }, 600_000);
});
