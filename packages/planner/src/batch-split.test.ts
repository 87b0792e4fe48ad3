import type { FakeReply, FakeRequest } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import {
  batchReply,
  completed,
  isRepair,
  landWith,
  planAll,
  replanReply,
  splitReply,
  startPlannerHarness,
  task,
} from "./__fixtures__/planner-harness.js";
import { splitBatch } from "./internal/split-batch.js";
import type { PlannedTask } from "./plan-schema.js";

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
    const harness = await startPlannerHarness(policy);
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

describe("Replans over the limit", () => {
  it("adds a 25-task replan reply in rounds of at most 10 in dependency order instead of rejecting it", async () => {
    const rounds: string[] = [];
    const policy = (request: FakeRequest): FakeReply => {
      if (isRepair(request)) throw new Error("no repair round expected");
      const text = request.lastUserText();
      if (text.includes("# Batch 1\n"))
        return batchReply(
          [
            task("core", { scope: ["src/core.ts"] }),
            task("docs", { scope: ["docs/**"], dependsOn: ["core"] }),
          ],
          false,
        );
      const round = /# Replan \(round (\d+)\)/.exec(text)?.[1] ?? "?";
      rounds.push(round);
      if (round !== "2") return replanReply({});
      // r0 needs r24 (listed last); r1 to r23 each need the one before them.
      const add = Array.from({ length: 25 }, (_, index) =>
        task(`r${index}`, { dependsOn: index === 0 ? ["r24"] : index === 24 ? [] : [`r${index - 1}`] }),
      );
      const docs = {
        id: "t0002",
        title: null,
        description: null,
        acceptance: null,
        scope: null,
        priority: null,
      };
      return replanReply({ add, amend: [{ ...docs, dependsOn: ["t0001", "r23"] }] });
    };
    const harness = await startPlannerHarness(policy);
    const planner = await harness.open({ maxNewTasksPerReplan: 10 });
    await planAll(planner, harness.signal);
    landWith(
      planner,
      "t0001",
      completed("Core done; the spec needs 25 more modules.", { filesChanged: ["src/core.ts"] }),
    );
    harness.events.length = 0;

    const outcome = await planner.replan(harness.signal);

    expect(outcome).toMatchObject({ kind: "replanned", round: 2, repaired: false });
    expect(outcome.kind === "replanned" ? outcome.added : []).toHaveLength(25);
    expect(harness.events.filter((event) => event.type === "plan-reject")).toEqual([]);
    expect(planner.graph.size).toBe(27);
    const planEvents = harness.events.flatMap((event) =>
      event.type === "plan-start" || event.type === "plan-batch"
        ? [[event.type, event.batch, event.type === "plan-batch" ? event.taskIds.length : null]]
        : [],
    );
    expect(planEvents).toEqual([
      ["plan-start", 2, null],
      ["plan-batch", 2, 10],
      ["plan-start", 3, null],
      ["plan-batch", 3, 10],
      ["plan-start", 4, null],
      ["plan-batch", 4, 5],
    ]);
    expect(harness.events).toContainEqual({
      type: "log",
      level: "info",
      message:
        "The planner's reply for replan round 2 added 25 tasks, more than the 10 one replan may add; they were split into rounds 2 to 4 in dependency order.",
      taskId: null,
    });
    const tasks = planner.graph.all();
    // Every new task depends only on tasks added before it: round by round, in dependency order.
    for (const entry of tasks.filter((each) => each.id !== "t0002"))
      for (const dependency of entry.dependsOn) expect(dependency < entry.id).toBe(true);
    const idOf = (key: string): string => planner.state.keys[key] ?? `missing ${key}`;
    expect(idOf("r24")).toBe("t0003");
    expect(planner.graph.require(idOf("r0")).dependsOn).toEqual([idOf("r24")]);
    expect(planner.graph.require(idOf("r23")).dependsOn).toEqual([idOf("r22")]);
    // The amendment names a task of the last round by its key; it gets that task's id.
    expect(planner.graph.get("t0002")?.dependsOn).toEqual(["t0001", idOf("r23")]);
    expect(planner.graph.readyTasks().map((entry) => entry.id)).toEqual([idOf("r24")]);

    // The next replan continues after the rounds the split reply took.
    planner.recordHandoff(idOf("r24"), completed("r24 done."));
    await planner.replan(harness.signal);
    expect(rounds).toEqual(["2", "5"]);
  });

  it("accepts a split into more subtasks than the limit instead of keeping the task whole", async () => {
    const policy = (request: FakeRequest): FakeReply => {
      if (isRepair(request)) throw new Error("no repair round expected");
      if (request.lastUserText().includes("# Batch 1\n"))
        return batchReply([task("api", { scope: ["src/api/**"], composite: true })], false);
      return splitReply(Array.from({ length: 10 }, (_, index) => task(`route${index}`)));
    };
    const harness = await startPlannerHarness(policy);
    const planner = await harness.open({ maxSubtasks: 8 });

    const steps = await planAll(planner, harness.signal);

    expect(steps).toMatchObject([{ kind: "batch", splits: [{ kind: "split", parentId: "t0001" }] }]);
    expect(planner.graph.get("t0001")?.state).toBe("split");
    expect(planner.graph.readyTasks()).toHaveLength(10);
    expect(harness.events).toContainEqual({
      type: "log",
      level: "info",
      message:
        "The subplanner split t0001 into 10 tasks, more than the 8 a split should make; all 10 were kept.",
      taskId: "t0001",
    });
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
