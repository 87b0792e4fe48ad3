import type { Task } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { FakeHealth } from "./__fixtures__/fake-ports.js";
import { type FakeRun, fakeRun } from "./__fixtures__/fake-run.js";

const green = { green: true, reason: "every check passes", commit: "h-final" };

/** A run whose only planned task files a fix task (as the reconciler would) while it works. */
async function runWithFix(recheck: (task: Task) => { failing: boolean; output: string }): Promise<FakeRun> {
  const run: FakeRun = await fakeRun({
    planner: { tasks: [{ title: "one" }] },
    settings: { maxAttempts: 2 },
    health: () =>
      new FakeHealth(
        () => green,
        (task) => ({ commit: "h9", ...recheck(task) }),
      ),
    attempt: (request) => {
      if (request.task.id === "t0001") {
        run.engine.addTask(
          { title: "Fix test: median is not a function", description: "fix it", scope: ["src/median.ts"] },
          "fix",
          { fingerprint: "test:0123456789ab" },
        );
        return {};
      }
      return { outcome: "complete", commit: null, reason: "nothing to change" };
    },
  });
  return run;
}

describe("a fix attempt that changes nothing", () => {
  it("ends the fix task as no longer needed when the failure is gone, which is not a failure", async () => {
    const run = await runWithFix(() => ({ failing: false, output: "" }));
    const result = await run.engine.run(run.start);
    const fix = run.engine.state.tasks.get("t0002")!;
    expect(fix.task).toMatchObject({ kind: "fix", state: "cancelled" });
    expect(fix.lastReason).toBe("no longer needed: the failures it was made for no longer show at h9");
    expect(fix.attempts.map((attempt) => attempt.outcome)).toEqual(["complete"]);
    expect(result.status).toBe("green");
  });

  it("fails the attempt with the current output while the failure still shows; the next one gets it on the other model", async () => {
    const run = await runWithFix(() => ({ failing: true, output: "TypeError: median is not a function" }));
    await run.engine.run(run.start);
    const fixes = run.harness.requests.filter((request) => request.task.kind === "fix");
    expect(fixes.map((request) => [request.role, request.model])).toEqual([
      ["fixer", "fixer-model"],
      ["fixer", "alt-model"],
    ]);
    expect(fixes[1]?.feedback).toContain(
      "the failures still show at h9:\nTypeError: median is not a function",
    );
    const fix = run.engine.state.tasks.get("t0002")!;
    expect(fix.attempts.map((attempt) => attempt.outcome)).toEqual(["failed", "failed"]);
    expect(fix.task.state).toBe("failed");
  });
});
