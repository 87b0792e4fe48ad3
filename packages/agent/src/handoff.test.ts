import { describe, expect, it } from "vitest";
import { FinishInputSchema, failedHandoff, reconcileHandoff, validateHandoff } from "./handoff.js";

describe("handoff", () => {
  it("fills defaults for the lists the model leaves out", () => {
    const input = FinishInputSchema.parse({ status: "complete", summary: "Added the endpoint." });
    expect(validateHandoff(input)).toEqual({
      status: "complete",
      summary: "Added the endpoint.",
      filesChanged: [],
      concerns: [],
      suggestions: [],
    });
  });

  it("rejects an unknown status and an empty summary", () => {
    expect(FinishInputSchema.safeParse({ status: "done", summary: "x" }).success).toBe(false);
    expect(FinishInputSchema.safeParse({ status: "complete", summary: "" }).success).toBe(false);
  });

  it("merges the files that really changed and reports those outside the scope", () => {
    const handoff = { ...failedHandoff("x"), status: "complete" as const, filesChanged: ["src/a.ts"] };
    const reconciled = reconcileHandoff(handoff, ["src/a.ts", "src/b.ts", "package.json"], ["src/"]);
    expect(reconciled.filesChanged).toEqual(["src/a.ts", "src/b.ts", "package.json"]);
    expect(reconciled.concerns).toEqual(["Changed files outside the task's scope (src/): package.json"]);
    expect(validateHandoff(reconciled)).toEqual(reconciled);
  });

  it("adds no concern when every change is in scope", () => {
    const reconciled = reconcileHandoff(failedHandoff("x"), ["src/a.ts"], ["src/"]);
    expect(reconciled.concerns).toEqual([]);
  });
});
