import type { LongshotEvent } from "@longshot/core";
import { fakeTask } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import { type AttemptView, replay } from "./run-state.js";
import { chooseModel } from "./worker.js";

function attempt(overrides: Partial<AttemptView>): AttemptView {
  return {
    number: 1,
    model: "primary",
    harness: "builtin",
    baseCommit: "b",
    startedAt: 0,
    endedAt: 1,
    outcome: "complete",
    commit: null,
    handoff: null,
    reason: "",
    verdict: null,
    refusedBy: null,
    sandboxReady: true,
    ...overrides,
  };
}

describe("chooseModel", () => {
  it("starts on the primary worker model", () => {
    expect(chooseModel(undefined, "primary", "alternate")).toBe("primary");
  });

  it("flips to the alternate after a rejection and back after another failure", () => {
    const rejected = attempt({ verdict: { accepted: false, feedback: "missing tests" } });
    expect(chooseModel(rejected, "primary", "alternate")).toBe("alternate");
    expect(chooseModel(attempt({ model: "alternate", outcome: "failed" }), "primary", "alternate")).toBe(
      "primary",
    );
  });

  it("keeps the model when the attempt failed before its sandbox was ready, which no model caused", () => {
    const unready = attempt({ outcome: "failed", sandboxReady: false, reason: "Could not check out b" });
    expect(chooseModel(unready, "primary", "alternate")).toBe("primary");
    expect(chooseModel({ ...unready, sandboxReady: true }, "primary", "alternate")).toBe("alternate");
  });

  it("keeps the model after a merge conflict, which is not the model's fault", () => {
    expect(chooseModel(attempt({ model: "alternate", outcome: "conflict" }), "primary", "alternate")).toBe(
      "alternate",
    );
  });
});

describe("an attempt's sandbox in the run's log", () => {
  it("is ready from the attempt's sandbox-create on, after a replay too", () => {
    const at = 1;
    const runId = "r";
    const task = fakeTask(runId, "t0001", { title: "Implement sum", state: "running" });
    const events = [
      { runId, seq: 1, at, type: "task-add", task },
      {
        runId,
        seq: 2,
        at,
        type: "attempt-start",
        taskId: "t0001",
        attempt: 1,
        model: "primary",
        harness: "builtin",
        sandbox: "local",
        baseCommit: "b",
      },
      {
        runId,
        seq: 3,
        at,
        type: "attempt-end",
        taskId: "t0001",
        attempt: 1,
        outcome: "failed",
        commit: null,
        handoff: null,
        reason: "Could not check out b",
      },
      {
        runId,
        seq: 4,
        at,
        type: "attempt-start",
        taskId: "t0001",
        attempt: 2,
        model: "primary",
        harness: "builtin",
        sandbox: "local",
        baseCommit: "b",
      },
      {
        runId,
        seq: 5,
        at,
        type: "sandbox-create",
        taskId: "t0001",
        sandbox: "local-1",
        provider: "local",
        readyMs: 5,
      },
    ] as LongshotEvent[];
    const attempts = replay(runId, events).tasks.get("t0001")!.attempts;
    expect(attempts.map((entry) => entry.sandboxReady)).toEqual([false, true]);
    expect(chooseModel(attempts[0], "primary", "alternate")).toBe("primary");
  });
});
