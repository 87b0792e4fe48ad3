import { join } from "node:path";
import { WorktreeSandboxProvider } from "@longshot/sandbox";
import { describe, expect, it } from "vitest";
import { type SampleRun, samplePerTest, sandboxPath } from "./__fixtures__/sample-run.js";

const openSample = samplePerTest();

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
  it("lands about 50 tasks with 8 workers on a shared barrel and through a build break, and ends green", {
    timeout: workLimit(50),
  }, async () => {
    const sample = await openSample({
      modules: 48,
      workers: 8,
      scenario: { breakModules: ["median"], sharedIndexEvery: 6 },
    });
    const opened = await sample.open("r-e2e-swarm", "Build per SPEC.md");
    // Opening the run makes worktrees ready for the first wave, as many as the sample's pool holds.
    expect(await opened.warmed).toBe(4);
    expect((await sample.sandboxes.slots()).filter((slot) => slot.state === "idle")).toHaveLength(4);
    const result = await opened.engine.run(opened.start);
    const { integrationBranch } = opened;
    expect(result).toMatchObject({ status: "green", interrupted: false });

    // Every task is accounted for: the 50 planned ones and the fix task all landed.
    const tasks = sample.store.listTasks("r-e2e-swarm");
    expect(tasks.filter((task) => task.kind === "plan")).toHaveLength(50);
    const fixes = tasks.filter((task) => task.kind === "fix");
    expect(fixes.length).toBeGreaterThanOrEqual(1);
    expect(tasks.filter((task) => task.state !== "landed")).toEqual([]);

    // The scripted troubles really happened and were resolved.
    const events = sample.store.events("r-e2e-swarm");
    // Every module task also adds to src/index.ts; the scheduler orders and caps work on such hot
    // files, which in this scenario leaves no conflict to resolve. The conflict paths have their
    // own tests (conflict-resolution.e2e.test.ts, the merge queue's).
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

  it("warms worktrees only while the planner plans: a run of three tasks does not get one for every worker", {
    timeout: workLimit(3),
  }, async () => {
    const sample = await openSample({ modules: 2, workers: 8 });
    const pool = new WorktreeSandboxProvider({
      root: join(sample.dir, "pool"),
      path: sandboxPath,
      warmPoolSize: 60,
    });
    try {
      const opened = await sample.open("r-e2e-warm", "Build per SPEC.md", { sandboxes: pool });
      const result = await opened.engine.run(opened.start);
      expect(result.status).toBe("green");
      // The first worker's sandbox stopped the warm-up long before it made a worktree per worker.
      expect(await opened.warmed).toBeLessThan(60);
      expect((await pool.slots()).length).toBeLessThan(60);
    } finally {
      await pool.close();
    }
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
    const sample = await openSample({
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
    expect(result.status, result.reason).toBe("green");
    // The sandboxes were real and full, but never held the tests.
    expect(seen).toContain("src/index.ts");
    expect(seen.filter((path) => path.includes("acceptance"))).toEqual([]);
    // No prompt ever named them.
    for (const request of sample.server.requests) {
      expect(JSON.stringify(request.body)).not.toContain("acceptance/");
      expect(JSON.stringify(request.body)).not.toContain("library.test.mjs");
    }
    // Held out during the run: no landing's tree had them.
    const landings = sample.store.events("r-e2e-hidden").filter((event) => event.type === "merge-land");
    for (const landing of landings) {
      if (landing.type === "merge-land")
        expect(sample.git("ls-tree", "-r", "--name-only", landing.sha)).not.toContain("acceptance/");
    }
    // The acceptance tests fail until the modules they use land: that is unfinished work, told to
    // the planner, never a fix task.
    const all = sample.store.events("r-e2e-hidden");
    expect(all.some((event) => event.type === "health-check" && !event.green)).toBe(true);
    expect(all.filter((event) => event.type === "fix-create")).toEqual([]);
    expect(
      all.some(
        (event) =>
          event.type === "log" &&
          event.message.includes("for planned work that has not landed, so no fix task"),
      ),
    ).toBe(true);
    // Put back before the run reported green, and the commit that holds them is the one checked
    // last and the one the run vouches for.
    expect(sample.git("rev-parse", integrationBranch)).toBe(result.head);
    expect(sample.git("show", `${result.head}:acceptance/library.test.mjs`)).toBe(acceptance.trim());
    const health = sample.store.events("r-e2e-hidden").filter((event) => event.type === "health-check");
    const last = health.at(-1);
    // No sandbox may start from a commit that holds them: the last check ran, with the tests
    // copied into its acceptance sandbox, at the commit they were put back on, which differs from
    // the one the run vouches for by the held-out file alone.
    expect(last).toMatchObject({ commit: sample.git("rev-parse", `${result.head}^`), green: true });
    expect(sample.git("diff", "--name-only", `${result.head}^`, result.head ?? "")).toBe(
      "acceptance/library.test.mjs",
    );
    expect(
      last?.type === "health-check" && last.checks.find((check) => check.name === "acceptance")?.ok,
    ).toBe(true);
    // Restoring again changes nothing.
    await restoreHidden();
    expect(sample.git("rev-parse", integrationBranch)).toBe(result.head);
  });

  it("with MERGE_GATE=build, keeps a breaking change off the branch instead of repairing it afterwards", async () => {
    const sample = await openSample({
      modules: 5,
      workers: 2,
      scenario: { breakModules: ["sum"] },
      env: { MERGE_GATE: "build" },
    });
    const { result } = await sample.run("r-e2e-gate");
    expect(result.status, result.reason).toBe("green");
    const events = sample.store.events("r-e2e-gate");
    const gates = events.filter((event) => event.type === "merge-gate");
    expect(gates.some((event) => event.type === "merge-gate" && !event.pass)).toBe(true);
    // The branch was never red: the gate caught the break before the ref moved.
    expect(events.filter((event) => event.type === "health-check" && !event.green)).toEqual([]);
    expect(events.some((event) => event.type === "fix-create")).toBe(false);
    expect(sample.git("show", "longshot/r-e2e-gate/integration:src/sum.ts")).not.toContain("const broken");
  });

  it("runs fix tasks as the fixer and shows the judge the checks of each attempt", async () => {
    const sample = await openSample({
      modules: 4,
      workers: 2,
      scenario: { breakModules: ["sum"] },
      env: { LLM_FIXER_MODEL: "fake-alt" },
    });
    const { result } = await sample.run("r-e2e-roles", {
      checks: [
        { name: "build", command: "node scripts/build.mjs" },
        { name: "test", command: "node --test" },
      ],
    });
    expect(result.status, result.reason).toBe("green");
    const fixes = sample.store.listTasks("r-e2e-roles").filter((task) => task.kind === "fix");
    expect(fixes.length).toBeGreaterThanOrEqual(1);
    // Every model call of a fix task is the fixer's, on the fixer's model, and the ledger says so.
    const fixIds = new Set(fixes.map((task) => task.id));
    const fixCalls = sample.server.requests.filter(
      (request) => request.role !== "judge" && fixIds.has(request.headers["x-longshot-task"] ?? ""),
    );
    expect(fixCalls.length).toBeGreaterThan(0);
    expect(new Set(fixCalls.map((request) => `${request.role} ${request.model}`))).toEqual(
      new Set(["fixer fake-alt"]),
    );
    expect(fixCalls[0]?.messages[0]?.content).toContain("repairing a failing check");
    const roles = sample.store.costByRole("r-e2e-roles").map((row) => row.key);
    expect(roles).toContain("fixer");
    expect(roles).toContain("worker");
    // The judge saw the checks of the attempt's commit, run in its sandbox, and cited them.
    const judged = sample.server.requests.filter((request) => request.role === "judge");
    const prompts = judged.map((request) => request.messages.map((message) => message.content).join("\n"));
    expect(prompts.every((prompt) => prompt.includes("- build `node scripts/build.mjs`: "))).toBe(true);
    expect(prompts.some((prompt) => /- test `node --test '[^']+'`: pass/.test(prompt))).toBe(true);
    // The broken sum failed its own build in its sandbox, before it ever landed.
    expect(
      prompts.some(
        (prompt) => prompt.includes("Implement sum") && prompt.includes("`node scripts/build.mjs`: FAIL"),
      ),
    ).toBe(true);
    const verdicts = sample.store.events("r-e2e-roles").filter((event) => event.type === "judge-verdict");
    for (const verdict of verdicts) {
      if (verdict.type === "judge-verdict") expect(verdict.feedback).toMatch(/\[checks: build (pass|FAIL)/);
    }
  });

  it("moves a landing the reconciler had to revert out of landed, back to the planner, and ends red", async () => {
    // The fixer never manages to repair the broken sum, so the reconciler reverts its landing.
    const sample = await openSample({
      modules: 4,
      workers: 2,
      scenario: { breakModules: ["sum"] },
      env: { TASK_MAX_ATTEMPTS: "1", FINALIZATION_MAX_ATTEMPTS: "2" },
      policy: (swarm) => ({
        reply: (request) =>
          request.role === "fixer"
            ? {
                toolCalls: [
                  {
                    name: "finish",
                    arguments: { status: "blocked", summary: "cannot see the problem", filesChanged: [] },
                  },
                ],
              }
            : swarm.reply(request),
      }),
    });
    const { result } = await sample.run("r-e2e-revert");
    const sum = sample.store.listTasks("r-e2e-revert").find((task) => task.title === "Implement sum")!;
    const events = sample.store.events("r-e2e-revert");
    const revert = events.find((event) => event.type === "merge-revert");
    expect(revert).toMatchObject({ taskId: sum.id });
    expect(
      events.find(
        (event) => event.type === "task-transition" && event.taskId === sum.id && event.to === "reverted",
      ),
    ).toMatchObject({ from: "landed" });
    // The work is gone from the branch, the task says so, and nothing passes over it.
    const reverted = revert?.type === "merge-revert" ? revert.sha : "";
    expect(sample.git("ls-tree", "-r", "--name-only", reverted)).not.toContain("src/sum.ts");
    expect(sample.store.getTask("r-e2e-revert", sum.id)?.task.state).toBe("reverted");
    expect(result.status).toBe("red");
    expect(result.reason).toContain(`reverted: ${sum.id}`);
    // The planner heard, and no completion after the revert passes over the task: a claim that
    // the request is complete is refused while it is open, and the plan can only end naming it.
    const after = events.filter((event) => event.seq > revert!.seq);
    for (const event of after) {
      if (event.type === "plan-complete") expect(event.reason).toContain(`${sum.id} reverted`);
      if (event.type === "plan-reject") expect(event.problems.join(" ")).toContain(`still open (${sum.id})`);
    }
  });

  it("sends rejected work back and retries it on the alternate worker model", async () => {
    const sample = await openSample({ modules: 4, workers: 2, scenario: { rejectModules: ["sum"] } });
    const { result } = await sample.run("r-e2e-judge");
    expect(result.status, result.reason).toBe("green");
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
    const sample = await openSample({
      modules: 16,
      workers: 4,
      env: { MAX_TOKENS: "40000", LLM_MAX_TOKENS: "2000" },
    });
    const { result } = await sample.run("r-e2e-budget");
    // A budget stop is red (the work is not done) and says which budget and what is unfinished.
    expect(result.status).toBe("red");
    expect(result.interrupted).toBe(false);
    expect(result.reason).toMatch(
      /^stopped by a budget: budget reached: The run budget of 40000 tokens would be exceeded[^;]*; \d+ of \d+ required tasks did not land \(unfinished: t\d{4}/,
    );
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
    const sample = await openSample({ modules: 16, workers: 4 });
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
