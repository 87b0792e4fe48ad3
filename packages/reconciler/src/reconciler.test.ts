import { describe, expect, it } from "vitest";
import { integration, projectFiles, projectPerTest, settle } from "./__fixtures__/project.js";

const brokenMath = "export const add = (a, b) => a + b;\n";
const openProject = projectPerTest();

describe("Reconciler on a real repository", () => {
  it("turns a merge that breaks the build into exactly one fix task naming the culprit, across many sweeps", async () => {
    const project = await openProject();
    const { reconciler, engine, land, repo } = project;
    await settle(reconciler);
    expect(engine.eventsOf("health-check").map((event) => event.green)).toEqual([true]);

    await land("t0001", { "src/mul.js": "export const mul = (a, b) => a * b;\n" });
    const culprit = await land("t0002", { "src/math.js": brokenMath });
    await land("t0003", { "README.md": "# calc\n" });
    await land("t0004", { "docs/usage.md": "add and mul\n" });
    await settle(reconciler);

    expect(engine.requests).toHaveLength(1);
    const [request] = engine.requests;
    expect(request?.culprit).toEqual({ sha: culprit.sha, previous: culprit.previous, taskId: "t0002" });
    expect(request?.failures[0]).toMatchObject({
      check: "build",
      message: "error: src/math.js does not export sub",
    });
    expect(request?.spec.title).toBe("Fix build: error: src/math.js does not export sub");
    expect(request?.spec.scope).toEqual(["src/math.js"]);
    expect(request?.spec.description).toContain("landing of task t0002");
    expect(request?.spec.context).toContain("does not export sub");
    expect(engine.eventsOf("fix-create")).toEqual([
      { type: "fix-create", taskId: "t0100", fingerprint: request?.fingerprint, culprit: culprit.sha },
    ]);

    for (let sweep = 0; sweep < 4; sweep += 1) {
      reconciler.requestSweep();
      await settle(reconciler);
      await land(`t001${sweep}`, { [`notes/${sweep}.md`]: "more work\n" });
      await settle(reconciler);
    }
    expect(engine.eventsOf("health-check").filter((event) => !event.green).length).toBeGreaterThanOrEqual(8);
    expect(engine.requests).toHaveLength(1);
    expect(await repo.git(["show", `${integration}:src/math.js`])).toBe(brokenMath.trim());
  });

  it("bisects to the landing that broke a test among several", async () => {
    const project = await openProject();
    const { reconciler, engine, land } = project;
    await settle(reconciler);
    const landings = [];
    for (let index = 1; index <= 7; index += 1) {
      const files: Record<string, string> = { [`src/extra${index}.js`]: `export const n = ${index};\n` };
      if (index === 5) files["src/math.js"] = projectFiles["src/math.js"].replace("a - b", "b - a");
      landings.push(await land(`t000${index}`, files));
    }
    await settle(reconciler);
    expect(engine.requests).toHaveLength(1);
    expect(engine.requests[0]?.failures[0]).toMatchObject({
      check: "test",
      test: "subtracts",
      file: "test/math.test.js",
    });
    expect(engine.requests[0]?.culprit?.sha).toBe(landings[4]?.sha);
    expect(engine.requests[0]?.culprit?.taskId).toBe("t0005");
  });

  it("reverts the culprit when fix attempts are exhausted, keeping later work, and the branch turns green", async () => {
    const project = await openProject({ maxFixAttempts: 1 });
    const { reconciler, engine, land, repo } = project;
    await settle(reconciler);
    await land("t0001", { "src/mul.js": "export const mul = (a, b) => a * b;\n" });
    const culprit = await land("t0002", { "src/math.js": brokenMath });
    await land("t0003", { "README.md": "# calc\n" });
    engine.onFixTask = (_request, taskId) => {
      engine.states.set(taskId, "failed");
    };
    await settle(reconciler);

    expect(engine.requests).toHaveLength(1);
    const [revert] = engine.eventsOf("merge-revert");
    expect(revert).toMatchObject({ taskId: "t0002", reverted: culprit.sha });
    expect(await repo.sha(integration)).toBe(revert?.sha);
    expect(await repo.git(["show", `${integration}:src/math.js`])).toBe(projectFiles["src/math.js"].trim());
    expect(await repo.git(["show", `${integration}:src/mul.js`])).toContain("mul");
    expect(await repo.git(["show", `${integration}:README.md`])).toBe("# calc");
    expect(await repo.git(["log", "-1", "--format=%s", integration])).toBe(
      `Revert the landing of t0002 (${culprit.sha.slice(0, 12)})`,
    );
    const health = engine.eventsOf("health-check");
    expect(health.at(-1)).toMatchObject({ commit: revert?.sha, green: true });
    expect(reconciler.state().lastGreen).toBe(revert?.sha);
  });
});

describe("finalization", () => {
  it("reports red, with the failure, when fixes do not help", async () => {
    const project = await openProject({
      files: { ...projectFiles, "src/math.js": brokenMath },
      maxFixAttempts: 1,
      finalizationMaxAttempts: 2,
    });
    const { reconciler, engine } = project;
    engine.onFixTask = (_request, taskId) => {
      engine.states.set(taskId, "failed");
    };
    const result = await reconciler.finalize();
    expect(result.status).toBe("red");
    if (result.status !== "red") return;
    expect(result.failures.map((failure) => failure.message)).toEqual([
      "error: src/math.js does not export sub",
    ]);
    expect(result.reason).toMatch(/red \(build: 1 failure\)/);
    expect(engine.requests).toHaveLength(1);
  });

  it("fixes, retries unmerged work and reports green", async () => {
    const project = await openProject({ files: { ...projectFiles, "src/math.js": brokenMath } });
    const { reconciler, engine, land } = project;
    engine.unmergedTasks = ["t0042"];
    engine.onFixTask = async (_request, taskId) => {
      await land(taskId, { "src/math.js": projectFiles["src/math.js"] });
      engine.states.set(taskId, "landed");
    };
    const result = await reconciler.finalize();
    expect(result).toMatchObject({ status: "green", rounds: 1 });
    expect(engine.retried).toEqual([["t0042"]]);
    expect(engine.requests).toHaveLength(1);
    expect(engine.eventsOf("health-check").map((event) => event.green)).toEqual([false, true]);
  });
});
