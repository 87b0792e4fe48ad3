import { zeroUsage } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { FakeConflictResolver, type LandingScript } from "./__fixtures__/fake-ports.js";
import { type FakeRun, fakeRun } from "./__fixtures__/fake-run.js";

const barrel = ["src/index.ts"];

/** The merge queue sends the task's first `times` landings back as conflicts in the barrel. */
function conflicts(taskId: string, times: number, withSnapshot = false): LandingScript {
  let seen = 0;
  return (request) => {
    if (request.taskId !== taskId || seen >= times) return undefined;
    seen += 1;
    const conflict = { files: barrel, tree: "tree-1", head: "h-other", tip: request.commit };
    return { kind: "conflict", files: barrel, ...(withSnapshot ? { conflict } : {}) };
  };
}

function tries(run: FakeRun, taskId: string) {
  return run.harness.requests
    .filter((request) => request.task.id === taskId)
    .map((request) => ({
      model: request.model,
      feedback: request.feedback,
      conflictFiles: request.conflictFiles,
    }));
}

const redo = (attempt: number) =>
  `Attempt ${attempt} conflicted with work that landed meanwhile in: src/index.ts. Start from the current code and redo the change so it fits.`;

describe("the conflict policy", () => {
  it("re-runs a task whose work conflicted on the same model, told where, without spending its MAX_ATTEMPTS", async () => {
    const run = await fakeRun({
      planner: { tasks: [{ title: "export median" }] },
      settings: { maxAttempts: 1, maxConflictRetries: 4 },
    });
    run.lander.script = conflicts("t0001", 2);
    const result = await run.engine.run(run.start);
    expect(result.status).toBe("green");
    expect(tries(run, "t0001")).toEqual([
      { model: "worker-model", feedback: null, conflictFiles: [] },
      { model: "worker-model", feedback: redo(1), conflictFiles: barrel },
      { model: "worker-model", feedback: redo(2), conflictFiles: barrel },
    ]);
    const view = run.engine.state.tasks.get("t0001")!;
    expect(view.attempts.map((attempt) => attempt.outcome)).toEqual(["conflict", "conflict", "complete"]);
    expect(run.engine.state.conflicts).toBe(2);
    // Each conflict was answered by a re-run, recorded against the attempt that conflicted.
    const answers = run.log.read().filter((event) => event.type === "conflict-resolution");
    expect(answers.map((event) => [event.attempt, event.method, event.ok])).toEqual([
      [1, "rerun", true],
      [2, "rerun", true],
    ]);
  });

  it("fails a task once its conflicts outnumber MAX_CONFLICT_RETRIES", async () => {
    const run = await fakeRun({
      planner: { tasks: [{ title: "export median" }], onGiveUp: "leave" },
      settings: { maxAttempts: 1, maxConflictRetries: 2 },
    });
    run.lander.script = conflicts("t0001", Number.POSITIVE_INFINITY);
    const result = await run.engine.run(run.start);
    expect(tries(run, "t0001")).toHaveLength(3);
    const view = run.engine.state.tasks.get("t0001")!;
    expect(view.task.state).toBe("failed");
    expect(view.lastReason).toBe("merge conflict in src/index.ts (attempts exhausted)");
    expect(run.planner.gaveUp.map((entry) => entry.taskId)).toEqual(["t0001"]);
    expect(result).toMatchObject({
      status: "red",
      reason: "1 of 1 required task did not land (failed: t0001)",
    });
  });

  it("lands the resolution step's commit, with no new attempt, when it resolves the conflicted hunks", async () => {
    const resolver = new FakeConflictResolver((request) => ({
      kind: "resolved",
      commit: `resolved-${request.task.id}`,
      files: request.conflict.files,
      hunks: 1,
      usage: zeroUsage,
    }));
    const run = await fakeRun({
      planner: { tasks: [{ title: "export median" }, { title: "export sum" }] },
      settings: { maxWorkers: 1 },
      resolver,
    });
    run.lander.script = conflicts("t0002", 1, true);
    const result = await run.engine.run(run.start);
    expect(result.status).toBe("green");
    expect(tries(run, "t0002")).toHaveLength(1);
    expect(
      run.lander.requests.filter((request) => request.taskId === "t0002").map((request) => request.commit),
    ).toEqual(["c-t0002-1", "resolved-t0002"]);
    expect(run.lander.landed).toEqual(["t0001", "t0002"]);
    // The step saw the task's own handoff and the intent of the work it conflicted with.
    const asked = resolver.requests[0]!;
    expect(asked.conflict).toEqual({ files: barrel, tree: "tree-1", head: "h-other", tip: "c-t0002-1" });
    expect(asked.handoff?.summary).toBe("done");
    expect(asked.intentOf("t0001")).toEqual({ title: "export median", summary: "done" });
    const answers = run.log.read().filter((event) => event.type === "conflict-resolution");
    expect(answers.map((event) => [event.method, event.ok, event.commit])).toEqual([
      ["hunks", true, "resolved-t0002"],
    ]);
  });

  it("runs the task again on the newest code when the resolution step cannot resolve, still not spending MAX_ATTEMPTS", async () => {
    const resolver = new FakeConflictResolver((request) => ({
      kind: "unresolved",
      files: request.conflict.files,
      hunks: 2,
      usage: zeroUsage,
      reason: "the resolved file fails the typecheck",
    }));
    const run = await fakeRun({
      planner: { tasks: [{ title: "export median" }] },
      settings: { maxAttempts: 1 },
      resolver,
    });
    run.lander.script = conflicts("t0001", 1, true);
    const result = await run.engine.run(run.start);
    expect(result.status).toBe("green");
    expect(tries(run, "t0001")).toEqual([
      { model: "worker-model", feedback: null, conflictFiles: [] },
      { model: "worker-model", feedback: redo(1), conflictFiles: barrel },
    ]);
    const answers = run.log.read().filter((event) => event.type === "conflict-resolution");
    expect(answers.map((event) => [event.method, event.ok, event.reason])).toEqual([
      ["hunks", false, "the resolved file fails the typecheck"],
      ["rerun", true, "the task ran again on the newest code"],
    ]);
  });
});
