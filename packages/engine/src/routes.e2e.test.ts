import { describe, expect, it } from "vitest";
import { samplePerTest } from "./__fixtures__/sample-run.js";

const openSample = samplePerTest();

describe("a task whose requirements no sandbox provides", () => {
  it("fails at once with the reason instead of waiting, and the run ends", async () => {
    const sample = await openSample({ modules: 2, workers: 2 });
    const runId = "r-unroutable";
    const { engine, start } = await sample.open(runId, "Build per SPEC.md");
    const running = engine.run(start);
    engine.send({ type: "pause" });
    engine.send({
      type: "add-task",
      task: { title: "Train the model", description: "Needs a GPU.", requires: ["gpu"] },
    });
    engine.send({ type: "resume" });
    const result = await running;

    expect(result.interrupted).toBe(false);
    const task = sample.store.listTasks(runId).find((entry) => entry.title === "Train the model");
    // Failed at dispatch; the planner, told why, may then cancel or replace it.
    expect(["failed", "cancelled"]).toContain(task?.state);
    const events = sample.store.events(runId);
    const failed = events.find(
      (event) => event.type === "task-transition" && event.taskId === task?.id && event.to === "failed",
    );
    expect(failed?.type === "task-transition" && failed.reason).toMatch(
      /^Task t\d+ requires gpu, which no sandbox route provides; add a route to SANDBOX_ROUTES/,
    );
    expect(events.some((event) => event.type === "attempt-start" && event.taskId === task?.id)).toBe(false);
    // The other tasks ran as usual.
    expect(sample.store.listTasks(runId).filter((entry) => entry.state === "landed").length).toBeGreaterThan(
      0,
    );
  });
});
