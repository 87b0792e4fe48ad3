import { describe, expect, it } from "vitest";
import { projectFiles, projectPerTest, settle } from "./__fixtures__/project.js";
import { isRunnerSummary } from "./test-counts.js";

const openProject = projectPerTest();

/** A node:test file of `count` tests, each calling `add` from src/math.js. */
function addTests(name: string, count: number): string {
  const tests = Array.from(
    { length: count },
    (_, index) => `test("${name} adds ${index}", () => assert.equal(add(${index}, 1), ${index + 1}));`,
  );
  return [
    'import { test } from "node:test";',
    'import assert from "node:assert/strict";',
    'import { add } from "../src/math.js";',
    ...tests,
    "",
  ].join("\n");
}

const medianTest = [
  'import { test } from "node:test";',
  'import assert from "node:assert/strict";',
  'import { median } from "../src/median.js";',
  'test("median of one", () => assert.equal(median([4]), 4));',
  'test("median of three", () => assert.equal(median([3, 1, 2]), 2));',
  "",
].join("\n");

describe("the reconciler tells regressions from unfinished work", () => {
  it("files no fix task while the tasks that cover a failing test have not landed, and tells the planner", async () => {
    const project = await openProject();
    const { reconciler, engine, land } = project;
    await settle(reconciler);
    // The tests of a planned module land before the module: they fail until its task lands.
    engine.unlanded.add("src/median.js");
    await land("t0001", { "test/median.test.js": medianTest });
    await settle(reconciler);
    for (let sweep = 0; sweep < 3; sweep += 1) {
      reconciler.requestSweep();
      await settle(reconciler);
    }
    expect(engine.eventsOf("health-check").filter((event) => !event.green)).toHaveLength(4);
    expect(engine.requests).toEqual([]);
    // Told to the planner once, as progress, never as a fix.
    expect(engine.unfinishedReports).toHaveLength(1);
    const [failure] = reconciler.state().lastSweep?.failures ?? [];
    expect(failure).toMatchObject({ check: "test", file: "test/median.test.js" });
    expect(failure?.files).toContain("src/median.js");

    // The module's task lands, broken: now the failure is the landed work's, and gets one fix.
    engine.unlanded.delete("src/median.js");
    await land("t0002", { "src/median.js": "export const median = (values) => values[0];\n" });
    await settle(reconciler);
    expect(engine.requests).toHaveLength(1);
    expect(engine.requests[0]?.failures.map((entry) => entry.test)).toEqual(["median of three"]);
    expect(engine.requests[0]?.spec.scope).toEqual(["test/median.test.js", "src/median.js"]);
  });

  it("files one fix task for many failing tests in several files with one root cause", async () => {
    const project = await openProject();
    const { reconciler, engine, land } = project;
    await land("t0001", {
      "test/a.test.js": addTests("a", 9),
      "test/b.test.js": addTests("b", 9),
      "test/c.test.js": addTests("c", 9),
    });
    await settle(reconciler);
    expect(engine.eventsOf("health-check").at(-1)?.green).toBe(true);
    const broken = projectFiles["src/math.js"].replace(
      "a + b",
      "(() => { throw new TypeError('add is broken'); })()",
    );
    await land("t0002", { "src/math.js": broken });
    await settle(reconciler);

    const red = engine.eventsOf("health-check").at(-1);
    const test = red?.checks.find((check) => check.name === "test");
    // 27 new tests and the project's own "adds" fail, all through the broken add.
    expect(test?.counts?.failed).toBe(28);
    expect(engine.requests).toHaveLength(1);
    const [request] = engine.requests;
    // Every extracted failure (the extraction keeps 20) belongs to the one task.
    expect(request?.fingerprints).toHaveLength(20);
    expect(request?.spec.scope).toContain("src/math.js");
    expect(request?.spec.title).toMatch(
      /^Fix test: TypeError: add is broken \(20 failing tests in test\/a\.test\.js/,
    );
    expect(isRunnerSummary(request!.spec.title.replace(/^Fix test: /, ""))).toBe(false);
  });

  it("gives a fix task for a failure that names no file a scope all the same", async () => {
    // A build that fails without a word, from the first commit on: no file, no culprit.
    const silent = JSON.stringify({
      name: "calc",
      type: "module",
      scripts: { build: "node -e process.exit(3)", test: "node --test" },
    });
    const project = await openProject({
      files: { ...projectFiles, "package.json": `${silent}\n` },
      finalizationMaxAttempts: 1,
    });
    const { reconciler, engine, land } = project;
    await settle(reconciler);
    // Nothing landed yet: the whole tree is the scope.
    expect(engine.requests.map((request) => request.spec.scope)).toEqual([["**"]]);
    engine.states.set("t0100", "failed");
    await land("t0001", { "src/mul.js": "export const mul = (a, b) => a * b;\n", "docs/mul.md": "mul\n" });
    await settle(reconciler);
    // Then what changed on the branch since it started.
    expect(engine.requests.at(-1)?.spec.scope).toEqual(["docs/mul.md", "src/mul.js"]);
    expect(engine.requests.every((request) => request.spec.scope.length > 0)).toBe(true);
  });

  it("counts a red run's failures as the test runner does, not by distinct fingerprints", async () => {
    const project = await openProject({ finalizationMaxAttempts: 0 });
    const { reconciler, engine, land } = project;
    await land("t0001", { "test/a.test.js": addTests("a", 25) });
    await settle(reconciler);
    await land("t0002", { "src/math.js": projectFiles["src/math.js"].replace("a + b", "a * b") });
    const result = await reconciler.finalize();
    expect(result.status).toBe("red");
    const counted = engine
      .eventsOf("health-check")
      .at(-1)
      ?.checks.find((check) => check.name === "test")?.counts?.failed;
    expect(counted).toBe(25);
    expect(result.status === "red" && result.failures.length).toBe(20);
    expect(result.status === "red" && result.reason).toContain("red (test: 25 failing tests)");
  });
});
