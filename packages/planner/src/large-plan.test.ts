import type { FakeReply, FakeRequest } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import { batchReply, land, startPlannerHarness, task } from "./__fixtures__/planner-harness.js";
import type { Planner } from "./planner.js";

const batches = 10;
const perBatch = 50;

interface Snapshot {
  readonly batch: number;
  readonly tasks: number;
  readonly landed: number;
  readonly firstBatchLanded: boolean;
}

describe("Planner sprints", () => {
  it("produces a 500-task plan in batches of 50 while earlier tasks are already dispatched", async () => {
    let planner: Planner | undefined;
    const snapshots: Snapshot[] = [];
    const policy = (request: FakeRequest): FakeReply => {
      const batch = Number(/# Batch (\d+)\n/.exec(request.lastUserText())?.[1]);
      const graph = planner?.graph;
      const firstBatch = graph?.all().slice(0, perBatch) ?? [];
      snapshots.push({
        batch,
        tasks: graph?.size ?? 0,
        landed: graph?.counts().landed ?? 0,
        firstBatchLanded:
          firstBatch.length === perBatch && firstBatch.every((entry) => entry.state === "landed"),
      });
      const tasks = Array.from({ length: perBatch }, (_, index) =>
        task(`m${batch}-${index}`, {
          scope: [`src/m${batch}/f${index}.ts`],
          // Each task builds on its counterpart of the previous batch, named by that batch's key.
          dependsOn: batch === 1 ? [] : [`m${batch - 1}-${index}`],
        }),
      );
      return batchReply(tasks, batch < batches, `planned ${batch} of ${batches} batches`);
    };
    const harness = await startPlannerHarness(policy);
    planner = await harness.open({ tasksPerBatch: perBatch });

    for await (const step of planner.plan(harness.signal)) {
      expect(step.kind).toBe("batch");
      // The consumer works on whatever is ready before asking for the next batch.
      for (const ready of planner.graph.readyTasks()) land(planner, ready.id);
    }

    expect(planner.graph.size).toBe(batches * perBatch);
    expect(snapshots.map((snapshot) => snapshot.batch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // When batch n was requested, the n-1 batches before it had all landed.
    expect(snapshots.map((snapshot) => [snapshot.tasks, snapshot.landed])).toEqual(
      snapshots.map((_, index) => [index * perBatch, index * perBatch]),
    );
    expect(snapshots[9]?.firstBatchLanded).toBe(true);
    expect(planner.graph.get("t0051")?.dependsOn).toEqual(["t0001"]);
    expect(planner.graph.get("t0500")?.dependsOn).toEqual(["t0450"]);
    const batchEvents = harness.events.filter((event) => event.type === "plan-batch");
    expect(batchEvents).toHaveLength(batches);
    expect(batchEvents.at(-1)).toMatchObject({ batch: 10, final: true });
    expect(harness.events.filter((event) => event.type === "task-add")).toHaveLength(500);
    const last = harness.server.requests.at(-1);
    expect(last?.lastUserText()).toContain("Plan batch 10: at most 50 new tasks");
    expect(last?.lastUserText()).toContain("t0450 [landed] (m9-49) Build m9-49");
    expect(last?.maxOutputTokens).toBe(16_000);
    harness.server.assertDone();
  });
});
