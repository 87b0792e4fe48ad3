import { afterEach, describe, expect, it } from "vitest";
import { type SampleRun, sampleRun } from "./__fixtures__/sample-run.js";

let sample: SampleRun | null = null;
afterEach(async () => {
  await sample?.close();
  sample = null;
});

/**
 * Time limit of a whole run of `tasks` tasks. These tests assert outcomes, not speed: the limit
 * only stops a hung run. About a second of work per task on an idle machine, given ten times
 * that (and a minute for set-up): with two CPU-bound processes beside it on a 2-core machine
 * already at load 30, the 50-task run took 276 s.
 */
function workLimit(tasks: number): number {
  return 60_000 + tasks * 10_000;
}

/** Sandboxes still in use; idle worktrees kept warm in the provider's pool do not count. */
async function sandboxLeftovers(run: SampleRun): Promise<string[]> {
  return (await run.sandboxes.slots()).filter((slot) => slot.state === "busy").map((slot) => slot.workdir);
}

describe("a whole run on a real repository", () => {
  it("lands about 50 tasks with 8 workers through conflicts and a build break, and ends green", {
    timeout: workLimit(50),
  }, async () => {
    sample = await sampleRun({
      modules: 48,
      workers: 8,
      scenario: { breakModules: ["median"], sharedIndexEvery: 6 },
    });
    const { engine, start, integrationBranch } = await sample.open("r-e2e-swarm", "Build per SPEC.md");
    const result = await engine.run(start);
    expect(result).toMatchObject({ status: "green", interrupted: false });

    // Every task is accounted for: the 50 planned ones and the fix task all landed.
    const tasks = sample.store.listTasks("r-e2e-swarm");
    expect(tasks.filter((task) => task.kind === "plan")).toHaveLength(50);
    const fixes = tasks.filter((task) => task.kind === "fix");
    expect(fixes.length).toBeGreaterThanOrEqual(1);
    expect(tasks.filter((task) => task.state !== "landed")).toEqual([]);

    // The scripted troubles really happened and were resolved.
    const events = sample.store.events("r-e2e-swarm");
    expect(events.filter((event) => event.type === "merge-conflict").length).toBeGreaterThan(0);
    const red = events.find((event) => event.type === "health-check" && !event.green);
    expect(red).toBeDefined();
    const fix = events.find((event) => event.type === "fix-create");
    expect(fix).toBeDefined();
    const last = events.filter((event) => event.type === "health-check").at(-1);
    expect(last).toMatchObject({ green: true, commit: result.head });

    // The integration branch holds the whole library, and the user's branch was not touched.
    const files = sample.git("ls-tree", "-r", "--name-only", integrationBranch).split("\n");
    for (const module of sample.modules) expect(files).toContain(`src/${module.name}.test.ts`);
    expect(sample.git("show", `${integrationBranch}:src/median.ts`)).not.toContain("const broken");
    // Module tasks and the barrel task all wrote export lines to src/index.ts: each landed once.
    const exports = sample.git("show", `${integrationBranch}:src/index.ts`).split("\n").filter(Boolean);
    expect(exports.length).toBeGreaterThan(sample.modules.length);
    expect(new Set(exports).size).toBe(exports.length);
    expect(sample.git("rev-list", "--count", "main")).toBe("1");
    expect(await sandboxLeftovers(sample)).toEqual([]);
    sample.server.assertDone();
  });

  it("holds acceptance tests out of every sandbox and prompt, runs them on the branch, and puts them back", async () => {
    const acceptance = [
      'import assert from "node:assert/strict";',
      'import { test } from "node:test";',
      'import { clamp, sum } from "../src/index.ts";',
      'test("the library works as a whole", () => {',
      "  assert.equal(clamp(sum([2, 3]), 0, 4), 4);",
      "});",
      "",
    ].join("\n");
    sample = await sampleRun({
      modules: 4,
      workers: 2,
      env: { HIDDEN_TESTS: "acceptance" },
      files: { "acceptance/library.test.mjs": acceptance },
    });
    const seen: string[] = [];
    const provider = sample.sandboxes;
    const { engine, start, integrationBranch, restoreHidden } = await sample.open(
      "r-e2e-hidden",
      "Build per SPEC.md",
      {
        sandboxes: {
          name: provider.name,
          create: async (options) => {
            const sandbox = await provider.create(options);
            const listing = await sandbox.listFiles(".", { recursive: true, limit: 10_000 });
            const found = await sandbox.exec({
              command: "find . -path ./.git -prune -o -print; git ls-files",
            });
            seen.push(...listing.entries.map((entry) => entry.path), ...found.stdout.split("\n"));
            return sandbox;
          },
          cleanOrphans: (live, options) => provider.cleanOrphans(live, options),
          close: () => provider.close(),
        },
      },
    );
    const result = await engine.run(start);
    expect(result.status).toBe("green");
    // The sandboxes were real and full, but never held the tests.
    expect(seen).toContain("src/index.ts");
    expect(seen.filter((path) => path.includes("acceptance"))).toEqual([]);
    // No prompt ever named them.
    for (const request of sample.server.requests) {
      expect(JSON.stringify(request.body)).not.toContain("acceptance/");
      expect(JSON.stringify(request.body)).not.toContain("library.test.mjs");
    }
    // The reconciler ran them on the integration tree, and they pass at the end.
    const health = sample.store.events("r-e2e-hidden").filter((event) => event.type === "health-check");
    const last = health.at(-1);
    expect(
      last?.type === "health-check" && last.checks.find((check) => check.name === "acceptance")?.ok,
    ).toBe(true);
    // Held out during the run, back on the branch when it is over.
    expect(sample.git("ls-tree", "-r", "--name-only", integrationBranch)).not.toContain("acceptance/");
    await restoreHidden();
    expect(sample.git("show", `${integrationBranch}:acceptance/library.test.mjs`)).toBe(acceptance.trim());
  });

  it("with MERGE_GATE=build, keeps a breaking change off the branch instead of repairing it afterwards", async () => {
    sample = await sampleRun({
      modules: 5,
      workers: 2,
      scenario: { breakModules: ["sum"] },
      env: { MERGE_GATE: "build" },
    });
    const { engine, start } = await sample.open("r-e2e-gate", "Build per SPEC.md");
    const result = await engine.run(start);
    expect(result.status).toBe("green");
    const events = sample.store.events("r-e2e-gate");
    const gates = events.filter((event) => event.type === "merge-gate");
    expect(gates.some((event) => event.type === "merge-gate" && !event.pass)).toBe(true);
    // The branch was never red: the gate caught the break before the ref moved.
    expect(events.filter((event) => event.type === "health-check" && !event.green)).toEqual([]);
    expect(events.some((event) => event.type === "fix-create")).toBe(false);
    expect(sample.git("show", "longshot/r-e2e-gate/integration:src/sum.ts")).not.toContain("const broken");
  });

  it("sends rejected work back and retries it on the alternate worker model", async () => {
    sample = await sampleRun({ modules: 4, workers: 2, scenario: { rejectModules: ["sum"] } });
    const { engine, start } = await sample.open("r-e2e-judge", "Build per SPEC.md");
    const result = await engine.run(start);
    expect(result.status).toBe("green");
    expect(sample.stats.rejections).toBe(1);
    expect(sample.stats.modelsByModule.get("sum")).toEqual(["fake-model", "fake-alt"]);
    expect(sample.stats.modelsByModule.get("clamp")).toEqual(["fake-model"]);
    const sum = sample.store.listTasks("r-e2e-judge").find((task) => task.title === "Implement sum")!;
    const detail = sample.store.getTask("r-e2e-judge", sum.id)!;
    expect(detail.attempts.map((attempt) => [attempt.model, attempt.accepted])).toEqual([
      ["fake-model", false],
      ["fake-alt", true],
    ]);
    // The second attempt was told why the first was rejected.
    const retry = sample.server.requests.find(
      (request) => request.model === "fake-alt" && request.role === "worker",
    );
    expect(retry?.messages.map((message) => message.content).join("\n")).toContain(
      "do not cover the edge cases",
    );
  });

  it("drains gracefully when the token budget runs out, and says so", async () => {
    sample = await sampleRun({
      modules: 16,
      workers: 4,
      env: { MAX_TOKENS: "40000", LLM_MAX_TOKENS: "2000" },
    });
    const { engine, start } = await sample.open("r-e2e-budget", "Build per SPEC.md");
    const result = await engine.run(start);
    expect(result.status).toBe("stopped");
    expect(result.interrupted).toBe(false);
    expect(result.reason).toMatch(/budget/i);
    const events = sample.store.events("r-e2e-budget");
    expect(events.some((event) => event.type === "budget-refuse")).toBe(true);
    const tasks = sample.store.listTasks("r-e2e-budget");
    // Nothing is left half-done: no task is still running or merging, and nothing failed for it.
    expect(tasks.filter((task) => ["running", "review", "merging"].includes(task.state))).toEqual([]);
    expect(tasks.some((task) => task.state === "landed")).toBe(true);
    expect(tasks.some((task) => task.state === "ready" || task.state === "pending")).toBe(true);
    expect(await sandboxLeftovers(sample)).toEqual([]);
  });

  it("stops in two stages: the first stop drains, the second aborts and tears sandboxes down", async () => {
    sample = await sampleRun({ modules: 16, workers: 4 });
    const { engine, start } = await sample.open("r-e2e-stop", "Build per SPEC.md");
    let stops = 0;
    const watcher = (async () => {
      for await (const event of engine.events()) {
        if (event.type === "sandbox-create" && stops === 0) {
          stops = 1;
          engine.send({ type: "stop" });
        } else if (event.type === "run-drain" && stops === 1) {
          stops = 2;
          engine.send({ type: "abort" });
        }
      }
    })();
    const result = await engine.run(start);
    await watcher;
    expect(result).toMatchObject({ status: "stopped", interrupted: true });
    const tasks = sample.store.listTasks("r-e2e-stop");
    expect(tasks.filter((task) => ["running", "review", "merging"].includes(task.state))).toEqual([]);
    expect(await sandboxLeftovers(sample)).toEqual([]);
    const events = sample.store.events("r-e2e-stop");
    const creates = events.filter((event) => event.type === "sandbox-create").length;
    const destroys = events.filter((event) => event.type === "sandbox-destroy").length;
    expect(destroys).toBe(creates);
  });
});
