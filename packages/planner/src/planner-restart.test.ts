import { ScriptedPolicy } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import {
  completed,
  landWith,
  planAll,
  plannedBatch,
  startPlannerHarness,
  task,
} from "./__fixtures__/planner-harness.js";

describe("Planner state", () => {
  it("survives a restart: the resumed planner continues at the next batch with the same graph and notes", async () => {
    const policy = new ScriptedPolicy([
      plannedBatch(1, [task("setup", { scope: ["package.json"] })], true, "next: storage"),
      plannedBatch(2, [task("storage", { dependsOn: ["setup"] })], true, "next: api"),
      plannedBatch(3, [task("api", { dependsOn: ["setup", "storage"] })], false),
    ]);
    const harness = await startPlannerHarness(policy);
    const first = await harness.open({ tasksPerBatch: 5 });
    for await (const step of first.plan(harness.signal)) {
      if (step.kind === "batch" && step.batch === 2) break;
    }
    landWith(
      first,
      "t0001",
      completed("Workspace set up.", { filesChanged: ["package.json"], concerns: ["Node 24 is required."] }),
    );
    await first.save(harness.signal);
    expect(harness.server.requests).toHaveLength(2);

    // A new process: same store, same model server.
    const resumed = await harness.open({ tasksPerBatch: 5 });
    expect(resumed.batch).toBe(2);
    expect(resumed.planningDone).toBe(false);
    expect(resumed.graph.all().map((entry) => [entry.id, entry.state])).toEqual([
      ["t0001", "landed"],
      ["t0002", "pending"],
    ]);
    expect(resumed.graph.readyTasks().map((entry) => entry.id)).toEqual(["t0002"]);

    const steps = await planAll(resumed, harness.signal);

    expect(steps).toMatchObject([{ kind: "batch", batch: 3, taskIds: ["t0003"], final: true }]);
    expect(resumed.graph.get("t0003")?.dependsOn).toEqual(["t0001", "t0002"]);
    expect(harness.server.requests).toHaveLength(3);
    const third = harness.server.requests[2]?.lastUserText() ?? "";
    expect(third).toContain("next: api");
    expect(third).toContain("concerns: Node 24 is required.");
    expect(third).toContain("t0001 [landed] (setup) Build setup");
    harness.server.assertDone();

    // Once the plan is done, a restart asks for nothing more.
    const again = await harness.open();
    expect(await planAll(again, harness.signal)).toEqual([]);
    expect(again.graph.size).toBe(3);
  });
});
