import { describe, expect, it } from "vitest";
import { checkTransition, isTerminal, nextStates, taskStates } from "./task-state.js";

describe("task state transitions", () => {
  it("follows the happy path from pending to landed", () => {
    const path = ["pending", "ready", "running", "review", "merging", "landed"] as const;
    for (let index = 1; index < path.length; index++) {
      expect(checkTransition(path[index - 1]!, path[index]!)).toEqual({ ok: true });
    }
  });

  it("sends rejected, conflicting and retried work back to ready", () => {
    expect(checkTransition("review", "ready").ok).toBe(true);
    expect(checkTransition("merging", "ready").ok).toBe(true);
    expect(checkTransition("running", "ready").ok).toBe(true);
  });

  it("refuses to skip the worker or to resurrect finished tasks, with a reason", () => {
    expect(checkTransition("pending", "landed")).toEqual({
      ok: false,
      reason: "a pending task can only become ready, cancelled, split, not landed",
    });
    expect(checkTransition("landed", "ready")).toEqual({
      ok: false,
      reason: "a landed task can only become reverted, not ready",
    });
    expect(checkTransition("cancelled", "running").ok).toBe(false);
    expect(checkTransition("split", "ready").ok).toBe(false);
  });

  it("lets the planner retry or split a failed task", () => {
    expect(nextStates("failed")).toEqual(["ready", "split", "cancelled"]);
  });

  it("takes a landing back only as reverted, which goes to the planner like a failure", () => {
    expect(nextStates("landed")).toEqual(["reverted"]);
    expect(nextStates("reverted")).toEqual(["ready", "split", "cancelled"]);
    expect(checkTransition("reverted", "landed").ok).toBe(false);
  });

  it("never allows a state to transition to itself", () => {
    for (const state of taskStates) expect(checkTransition(state, state).ok).toBe(false);
  });

  it("marks exactly landed, reverted, failed, cancelled and split as terminal", () => {
    expect(taskStates.filter(isTerminal)).toEqual(["landed", "reverted", "failed", "cancelled", "split"]);
  });
});
