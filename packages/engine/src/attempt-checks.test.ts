import { describe, expect, it } from "vitest";
import { RecordingJudge } from "./__fixtures__/fake-ports.js";
import { fakeRun } from "./__fixtures__/fake-run.js";
import { taskTestCommand } from "./attempt-checks.js";

const checks = [
  { name: "build", command: "npm run build" },
  { name: "lint", command: "npx biome check ." },
  { name: "test", command: "node --test" },
];

describe("checks for the judge", () => {
  it("runs build, lint and the task's own tests in the attempt's sandbox and hands the results to the judge", async () => {
    const judge = new RecordingJudge();
    const run = await fakeRun({
      planner: { tasks: [{ title: "one" }] },
      judge,
      attemptChecks: checks,
      attempt: () => ({
        handoff: {
          status: "complete",
          summary: "done",
          filesChanged: ["src/median.ts", "src/median.test.ts"],
          concerns: [],
          suggestions: [],
        },
      }),
      commands: (command) =>
        command.startsWith("node --test")
          ? { exitCode: 1, stdout: "✖ median of three\nℹ pass 3\nℹ fail 2\n" }
          : { exitCode: 0, stdout: "ok" },
    });
    await run.engine.run(run.start);
    expect(run.sandboxes.commands).toEqual([
      "npm run build",
      "npx biome check .",
      "node --test 'src/median.test.ts'",
    ]);
    // The sandbox was still there for them, and is gone now.
    expect(run.sandboxes.live).toBe(0);
    const [review] = judge.reviews;
    expect(review?.checks.map((check) => [check.name, check.ok, check.counts])).toEqual([
      ["build", true, null],
      ["lint", true, null],
      ["test", false, { passed: 3, failed: 2, skipped: 0 }],
    ]);
    expect(review?.checks[2]?.excerpt).toContain("median of three");
    const logged = run.log
      .read()
      .find((event) => event.type === "log" && event.message.includes("checks in its sandbox"));
    expect(logged).toMatchObject({
      message:
        "t0001 attempt 1 checks in its sandbox: build pass · lint pass · test FAIL (2 failed, 3 passed)",
    });
  });

  it("runs no checks when no judge will read them", async () => {
    const run = await fakeRun({ planner: { tasks: [{ title: "one" }] }, judge: null, attemptChecks: checks });
    await run.engine.run(run.start);
    expect(run.sandboxes.commands).toEqual([]);
  });

  it("narrows only plain runner commands to the task's test files", () => {
    expect(taskTestCommand("node --test", ["src/a.ts", "src/a.test.ts"])).toBe("node --test 'src/a.test.ts'");
    expect(taskTestCommand("pnpm exec vitest run", ["test/x.spec.ts"])).toBe(
      "pnpm exec vitest run 'test/x.spec.ts'",
    );
    expect(taskTestCommand("npm test", ["src/a.test.ts"])).toBe("npm test");
    expect(taskTestCommand("node --test && echo ok", ["src/a.test.ts"])).toBe("node --test && echo ok");
    expect(taskTestCommand("node --test", ["src/a.ts"])).toBe("node --test");
  });
});
