import type { FakeReply, FakeRequest } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import {
  batchReply,
  isRepair,
  type PlannerHarness,
  planAll,
  startPlannerHarness,
  task,
} from "./__fixtures__/planner-harness.js";
import { splitBatch } from "./internal/split-batch.js";
import type { PlannedTask } from "./plan-schema.js";

let harness: PlannerHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/**
 * 61 tasks where the model lists some dependents before what they depend on: m0 needs m60 (the
 * last one listed), and m1 to m59 each need the one before them, so a cut at 50 in the model's
 * order would leave m0 in a batch before its dependency.
 */
function sixtyOneTasks(): PlannedTask[] {
  return Array.from({ length: 61 }, (_, index) =>
    task(`m${index}`, {
      scope: [`src/m${index}.ts`],
      dependsOn: index === 0 ? ["m60"] : index === 60 ? [] : [`m${index - 1}`],
    }),
  );
}

describe("Planner batches over the limit", () => {
  it("splits a 61-task reply into batches of at most 50 in dependency order, and planning goes on", async () => {
    const batches: number[] = [];
    const policy = (request: FakeRequest): FakeReply => {
      if (isRepair(request)) throw new Error("no repair round expected");
      const batch = Number(/# Batch (\d+)\n/.exec(request.lastUserText())?.[1]);
      batches.push(batch);
      if (batch === 1) return batchReply(sixtyOneTasks(), true, "61 modules, then the CLI");
      // Keys of the split reply stay valid in later batches.
      return batchReply([task("cli", { scope: ["src/cli.ts"], dependsOn: ["m0", "m59"] })], false);
    };
    harness = await startPlannerHarness(policy);
    const planner = await harness.open({ tasksPerBatch: 50 });

    const steps = await planAll(planner, harness.signal);

    expect(steps.map((step) => step.kind)).toEqual(["batch", "batch"]);
    expect(batches).toEqual([1, 3]);
    expect(harness.server.requests).toHaveLength(2);
    expect(planner.rejection).toBeUndefined();
    expect(planner.planningDone).toBe(true);
    expect(planner.graph.size).toBe(62);
    const planEvents = harness.events.filter(
      (event) => event.type === "plan-start" || event.type === "plan-batch",
    );
    expect(planEvents.map((event) => [event.type, event.batch])).toEqual([
      ["plan-start", 1],
      ["plan-batch", 1],
      ["plan-start", 2],
      ["plan-batch", 2],
      ["plan-start", 3],
      ["plan-batch", 3],
    ]);
    const sizes = harness.events.flatMap((event) =>
      event.type === "plan-batch" ? [event.taskIds.length] : [],
    );
    expect(sizes).toEqual([50, 11, 1]);
    expect(harness.events).toContainEqual({
      type: "log",
      level: "info",
      message:
        "The planner's reply for batch 1 held 61 tasks, more than the 50 a batch may hold; it was split into batches 1 to 2 in dependency order.",
      taskId: null,
    });
    // Every task depends only on tasks with smaller ids: batch by batch, in dependency order.
    const tasks = planner.graph.all();
    for (const entry of tasks)
      for (const dependency of entry.dependsOn) expect(dependency < entry.id).toBe(true);
    const idOf = (key: string): string | undefined =>
      tasks.find((entry) => entry.title === `Build ${key}`)?.id;
    expect(idOf("m60")).toBe("t0001");
    expect(planner.graph.get(idOf("m0") ?? "")?.dependsOn).toEqual(["t0001"]);
    expect(planner.graph.get(idOf("cli") ?? "")?.dependsOn).toEqual([idOf("m0"), idOf("m59")]);
    expect(planner.state.keys.m59).toBe(idOf("m59"));
    // The next prompt shows the model the whole plan so far.
    expect(harness.server.requests[1]?.lastUserText()).toContain("Plan batch 3: at most 50 new tasks");
  });
});

describe("splitBatch", () => {
  const spec = (key: string, dependsOn: string[]) => ({
    key,
    spec: { title: key, description: key, scope: [`${key}.ts`], dependsOn },
  });

  it("keeps the model's order where dependencies allow and cuts at the size", () => {
    const batches = splitBatch(
      [spec("c", ["b"]), spec("a", []), spec("b", ["a", "t0003"]), spec("d", [])],
      2,
    );
    expect(batches.map((batch) => batch.map((entry) => entry.key))).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
  });

  it("refuses a dependency cycle instead of dropping tasks", () => {
    expect(() => splitBatch([spec("a", ["b"]), spec("b", ["a"])], 10)).toThrow(/dependency cycle among a, b/);
  });
});
