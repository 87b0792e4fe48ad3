import { type LongshotEvent, type NewEvent, parseEvent, type Task, type TaskState } from "@longshot/core";
import { fakeTask } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import { replay } from "../run-state.js";
import { unfinishedSummary, workLanded } from "./covering-tasks.js";

function task(id: string, scope: string[], state: TaskState, kind: Task["kind"] = "plan"): Task {
  return fakeTask("r1", id, { scope, state, kind });
}

function stateOf(tasks: Task[], planComplete: boolean) {
  const events: NewEvent[] = [
    {
      type: "run-start",
      request: "r",
      repo: "/r",
      baseCommit: "b",
      targetBranch: "main",
      integrationBranch: "i",
    },
    ...tasks.map((entry) => ({ type: "task-add", task: entry }) as const),
    ...(planComplete ? [{ type: "plan-complete", reason: "done" } as const] : []),
  ];
  const recorded: LongshotEvent[] = events.map((event, seq) =>
    parseEvent({ ...event, runId: "r1", seq, at: seq }),
  );
  return replay("r1", recorded);
}

describe("which failures wait for planned work", () => {
  const planned = [
    task("t0001", ["src/math.ts", "src/math.test.ts"], "landed"),
    task("t0002", ["src/median.ts", "src/median.test.ts"], "pending"),
    task("t0003", ["src/median.ts"], "landed", "fix"),
  ];

  it("waits while a task whose scope covers the failure's files has not landed", () => {
    const state = stateOf(planned, true);
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
    expect(workLanded(stateOf(planned, true), ["acceptance/x.test.mjs"])).toBe(false);
    const allLanded = [task("t0001", ["src/a.ts"], "landed"), task("t0002", ["src/b.ts"], "landed")];
    expect(workLanded(stateOf(allLanded, false), ["acceptance/x.test.mjs"])).toBe(false);
    expect(workLanded(stateOf(allLanded, true), ["acceptance/x.test.mjs"])).toBe(true);
    // Before the first batch is planned, nothing is a regression by ownership.
    expect(workLanded(stateOf([], false), [])).toBe(false);
  });
});
