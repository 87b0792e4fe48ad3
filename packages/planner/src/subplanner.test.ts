import { type FakeRequest, ScriptedPolicy } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import {
  land,
  planAll,
  plannedBatch,
  splitReply,
  startPlannerHarness,
  task,
} from "./__fixtures__/planner-harness.js";

const isSplitOf =
  (id: string) =>
  (request: FakeRequest): boolean =>
    request.lastUserText().includes(`# Split ${id}\n`);

describe("Planner subplanners", () => {
  it("splits a composite task recursively to the depth limit; its dependents wait for every child", async () => {
    const policy = new ScriptedPolicy([
      plannedBatch(
        1,
        [
          task("base", { scope: ["src/base.ts"] }),
          task("feature", { scope: ["src/feature/**"], dependsOn: ["base"], composite: true, size: "xl" }),
          task("app", { scope: ["src/app.ts"], dependsOn: ["feature"] }),
        ],
        false,
      ),
      {
        role: "subplanner",
        match: isSplitOf("t0002"),
        reply: splitReply([
          task("ui", { scope: ["src/feature/ui.ts"] }),
          task("api", { scope: ["src/feature/api/**"], composite: true }),
          task("glue", { scope: ["src/feature/index.ts"], dependsOn: ["ui", "api"] }),
        ]),
      },
      {
        role: "subplanner",
        match: isSplitOf("t0005"),
        // At depth 2 of 2, a child marked composite is not split again (no third request).
        reply: splitReply([
          task("api-read", { scope: ["src/feature/api/read.ts"], composite: true }),
          task("api-write", { scope: ["src/feature/api/write.ts"] }),
        ]),
      },
    ]);
    const harness = await startPlannerHarness(policy);
    const planner = await harness.open({ maxSplitDepth: 2 });

    const steps = await planAll(planner, harness.signal);

    const graph = planner.graph;
    expect(graph.all().map((entry) => [entry.id, entry.title, entry.state, entry.parentId])).toEqual([
      ["t0001", "Build base", "pending", null],
      ["t0002", "Build feature", "split", null],
      ["t0003", "Build app", "pending", null],
      ["t0004", "Build ui", "pending", "t0002"],
      ["t0005", "Build api", "split", "t0002"],
      ["t0006", "Build glue", "pending", "t0002"],
      ["t0007", "Build api-read", "pending", "t0005"],
      ["t0008", "Build api-write", "pending", "t0005"],
    ]);
    expect(steps).toMatchObject([
      {
        kind: "batch",
        splits: [
          {
            kind: "split",
            parentId: "t0002",
            tasks: [{ id: "t0004" }, { id: "t0007" }, { id: "t0008" }, { id: "t0006" }],
          },
          { kind: "split", parentId: "t0005", tasks: [{ id: "t0007" }, { id: "t0008" }] },
        ],
      },
    ]);
    // Children inherit the parent's dependencies; the dependent waits for every leaf.
    expect(graph.get("t0004")?.dependsOn).toEqual(["t0001"]);
    expect(graph.get("t0006")?.dependsOn).toEqual(["t0004", "t0007", "t0008", "t0001"]);
    expect(graph.get("t0003")?.dependsOn).toEqual(["t0004", "t0007", "t0008", "t0006"]);

    land(planner, "t0001");
    expect(graph.readyTasks().map((entry) => entry.id)).toEqual(["t0004", "t0007", "t0008"]);
    for (const id of ["t0004", "t0007", "t0008"]) land(planner, id);
    expect(graph.readyTasks().map((entry) => entry.id)).toEqual(["t0006"]);
    land(planner, "t0006");
    expect(graph.readyTasks().map((entry) => entry.id)).toEqual(["t0003"]);

    const splitRequest = harness.server.requests.find(isSplitOf("t0002"));
    expect(splitRequest?.lastUserText()).toContain(
      "Replace t0002 with 2 to 8 subtasks (split depth 1 of at most 2).",
    );
    expect(splitRequest?.lastUserText()).toContain("Scope: src/feature/**");
    expect(harness.events).toContainEqual({
      type: "task-transition",
      taskId: "t0002",
      from: "pending",
      to: "split",
      reason: "split into t0004, t0005, t0006",
    });
    expect(harness.events).toContainEqual({
      type: "task-update",
      taskId: "t0003",
      changes: { dependsOn: ["t0004", "t0005", "t0006"] },
    });
    harness.server.assertDone();
  });

  it("splits a task whose scope has more files than the limit, and keeps it whole when the split stays invalid", async () => {
    const wide = ["src/a.ts", "src/b.ts", "src/c.ts", "src/d.ts"];
    const overlapping = splitReply([
      task("one", { scope: ["src/a.ts", "src/b.ts"] }),
      task("two", { scope: ["src/b.ts"] }),
    ]);
    const policy = new ScriptedPolicy([
      plannedBatch(1, [task("wide", { scope: wide })], false),
      { role: "subplanner", reply: overlapping, times: 2 },
    ]);
    const harness = await startPlannerHarness(policy);
    const planner = await harness.open({ maxFilesPerTask: 3 });

    const [step] = await planAll(planner, harness.signal);

    const problem =
      '"one" and "two" both touch src/b.ts but neither depends on the other: add a dependency or separate their scopes.';
    expect(step).toMatchObject({
      kind: "batch",
      splits: [{ kind: "kept", taskId: "t0001", cause: "invalid-plan", problems: [problem] }],
    });
    expect(planner.graph.all().map((entry) => [entry.id, entry.state])).toEqual([["t0001", "pending"]]);
    expect(harness.events.at(-1)).toMatchObject({ type: "log", level: "warn", taskId: "t0001" });
    expect(harness.server.requests[2]?.lastUserText()).toContain(problem);
    harness.server.assertDone();
  });
});
