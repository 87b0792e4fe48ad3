import { describe, expect, it } from "vitest";
import type { AttemptView } from "./run-state.js";
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

  it("keeps the model after a merge conflict, which is not the model's fault", () => {
    expect(chooseModel(attempt({ model: "alternate", outcome: "conflict" }), "primary", "alternate")).toBe(
      "alternate",
    );
  });
});
