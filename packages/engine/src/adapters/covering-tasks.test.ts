import type { Task, TaskState } from "@longshot/core";
import { fakeTask } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import { runStateOf } from "../__fixtures__/run-state-of.js";
import { unfinishedSummary, workLanded } from "./covering-tasks.js";

function task(id: string, scope: string[], state: TaskState, kind: Task["kind"] = "plan"): Task {
  return fakeTask("r1", id, { scope, state, kind });
}

describe("which failures wait for planned work", () => {
  const planned = [
    task("t0001", ["src/math.ts", "src/math.test.ts"], "landed"),
    task("t0002", ["src/median.ts", "src/median.test.ts"], "pending"),
    task("t0003", ["src/median.ts"], "landed", "fix"),
  ];

  it("waits while a task whose scope covers the failure's files has not landed", () => {
    const state = runStateOf(planned, true);
    expect(workLanded(state, ["acceptance/x.test.mjs", "src/median.ts"])).toBe(false);
    expect(workLanded(state, ["src/math.test.ts"])).toBe(true);
    const failure = {
      fingerprint: "test:1",
      check: "test" as const,
      command: "node --test",
      file: "src/median.test.ts",
      test: "median of three",
      code: null,
      message: "test failed",
      files: ["src/median.test.ts", "src/median.ts"],
      cause: null,
      excerpt: "",
    };
    expect(unfinishedSummary(state, [failure])).toBe(
      '1 failure waits for planned work that has not landed, so no fix task: test: test "median of three" in src/median.test.ts (waits for t0002 pending)',
    );
  });

  it("waits for the whole plan, complete, when no task owns the files", () => {
    expect(workLanded(runStateOf(planned, true), ["acceptance/x.test.mjs"])).toBe(false);
    const allLanded = [task("t0001", ["src/a.ts"], "landed"), task("t0002", ["src/b.ts"], "landed")];
    expect(workLanded(runStateOf(allLanded, false), ["acceptance/x.test.mjs"])).toBe(false);
    expect(workLanded(runStateOf(allLanded, true), ["acceptance/x.test.mjs"])).toBe(true);
    // Before the first batch is planned, nothing is a regression by ownership.
    expect(workLanded(runStateOf([], false), [])).toBe(false);
  });
});
