import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type LongshotEvent, systemClock } from "@longshot/core";
import { SqliteStore } from "@longshot/store";
import { afterEach, describe, expect, it } from "vitest";
import {
  type FakeServerProcess,
  runCli,
  runEnv,
  type SampleRepo,
  startCli,
  startSwarm,
} from "./__fixtures__/cli-harness.js";

// Whole runs of the built binary against the fake model on a loaded machine: generous limits,
// bounded by work (a few modules), never by timing assertions.
const wholeRun = 300_000;

let server: FakeServerProcess | null = null;
let repo: SampleRepo | null = null;
afterEach(async () => {
  await server?.stop();
  repo?.cleanup();
  server = null;
  repo = null;
});

function events(stdout: string): LongshotEvent[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LongshotEvent);
}

function withStore<T>(path: string, read: (store: SqliteStore) => T): T {
  const store = new SqliteStore(join(path, ".git", "longshot", "longshot.db"), { clock: systemClock });
  try {
    return read(store);
  } finally {
    store.close();
  }
}

describe("what a run says at its end is true", () => {
  it(
    "exits 1, red, naming the tasks the planner gave up on (5 of 6 modules failed), and leaves main alone",
    async () => {
      ({ server, repo } = await startSwarm(6, { SWARM_FAIL: "sum,mean,median,range,chunk" }));
      const base = repo.git("rev-parse", "main");
      const result = await runCli(
        ["Build per SPEC.md", "--repo", repo.repo, "--no-dashboard"],
        runEnv(server.url, { TASK_MAX_ATTEMPTS: "1", MAX_WORKERS: "3" }),
      );
      expect(result.code).toBe(1);
      const summary = result.stderr.split("\n").find((line) => line.startsWith("Run "));
      expect(summary).toMatch(
        /^Run \S+ ended red: the checks pass but 5 of 7 required tasks did not land \(given up after failing: t\d{4}, t\d{4}, t\d{4}, t\d{4}, t\d{4}\)\. Report: /,
      );
      // The verdict is told once, not by the reconciler, the run's end and the summary in turn.
      const reason = /ended red: (.*)\. Report:/.exec(summary!)![1]!;
      expect(result.stderr.split(reason).length - 1).toBe(1);
      expect(result.stderr).not.toContain("now points at");
      expect(result.stderr).toContain("main was not moved");
      expect(repo.git("rev-parse", "main")).toBe(base);
      // The run's log holds the run, line by line.
      const runId = /^Run (\S+) ended/.exec(summary!)![1]!;
      const log = readFileSync(join(repo.repo, ".git", "longshot", "runs", runId, "run.log"), "utf8");
      expect(log).toContain('"msg":"run ended red: the checks pass but 5 of 7 required tasks did not land');
      expect(
        log.split("\n").filter((line) => line.includes("attempt 1 on fake-model")).length,
      ).toBeGreaterThanOrEqual(7);
      expect(log).not.toContain("sk-cli-test-0123456789");
    },
    wholeRun,
  );

  it(
    "prints the commit main points at, read back after the move, with the held-out tests put back and checked",
    async () => {
      ({ server, repo } = await startSwarm(4));
      mkdirSync(join(repo.repo, "acceptance"));
      writeFileSync(
        join(repo.repo, "acceptance", "library.test.mjs"),
        [
          'import assert from "node:assert/strict";',
          'import { test } from "node:test";',
          'import { clamp, sum } from "../src/index.ts";',
          'test("the library works as a whole", () => assert.equal(clamp(sum([2, 3]), 0, 4), 4));',
          "",
        ].join("\n"),
      );
      execFileSync("git", ["add", "-A"], { cwd: repo.repo });
      execFileSync(
        "git",
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "acceptance tests"],
        {
          cwd: repo.repo,
        },
      );
      const result = await runCli(
        ["Build per SPEC.md", "--repo", repo.repo, "--no-dashboard"],
        runEnv(server.url, { HIDDEN_TESTS: "acceptance" }),
      );
      expect(result.code).toBe(0);
      const printed = /^main now points at ([0-9a-f]{10})\.$/m.exec(result.stderr)?.[1];
      const main = repo.git("rev-parse", "main");
      expect(printed).toBe(main.slice(0, 10));
      expect(repo.git("ls-tree", "-r", "--name-only", "main")).toContain("acceptance/library.test.mjs");
      withStore(repo.repo, (store) => {
        const [run] = store.listRuns();
        // No sandbox may start from a commit that holds the held-out tests: the last checks ran,
        // with them copied into the acceptance sandbox, on the commit main's differs from by
        // the held-out file alone.
        const health = store.events(run!.runId, { types: ["health-check"] }).at(-1);
        expect(health).toMatchObject({ commit: repo!.git("rev-parse", "main^"), green: true });
        expect(repo!.git("diff", "--name-only", "main^", "main")).toBe("acceptance/library.test.mjs");
        expect(
          health?.type === "health-check" && health.checks.map((check) => [check.name, check.ok]),
        ).toContainEqual(["acceptance", true]);
        expect(store.events(run!.runId, { types: ["run-end"] }).at(-1)).toMatchObject({
          status: "green",
          head: main,
        });
      });
    },
    wholeRun,
  );

  it(
    "resumes with the --workers, --max-time and --max-cost it was started with, and flags given to resume win with a note",
    async () => {
      // Slow model calls so the run outlasts its 25 s of wall time.
      ({ server, repo } = await startSwarm(10, { SWARM_LATENCY_MS: "1500" }));
      // The environment says 4 workers and no budget; the run was started with flags.
      const env = runEnv(server.url, { MAX_WORKERS: "4", HEALTH_CHECK_INTERVAL: "1" });
      const first = startCli(
        [
          "Build per SPEC.md",
          "--workers",
          "2",
          "--max-time",
          "25",
          "--max-cost",
          "5",
          "--repo",
          repo.repo,
          "--json",
        ],
        env,
      );
      await first.waitForLine((line) => line.includes('"type":"attempt-start"'));
      first.child.kill("SIGKILL");
      expect((await first.done).signal).toBe("SIGKILL");

      const second = await runCli(["resume", "--repo", repo.repo, "--json"], env);
      expect(second.stderr).toMatch(/Resuming run \S+ on .* workers: 2\)\./);
      const resumed = events(second.stdout);
      expect(resumed.find((event) => event.type === "run-resume")).toMatchObject({
        settings: { MAX_WORKERS: "2", MAX_WALL_TIME: "25", MAX_COST_USD: "5" },
      });
      // Never more than two attempts at once.
      let running = 0;
      let most = 0;
      for (const event of resumed) {
        if (event.type === "attempt-start") running += 1;
        if (event.type === "attempt-end") running -= 1;
        most = Math.max(most, running);
      }
      expect(most).toBeLessThanOrEqual(2);
      // The 25 s count the first process's time too: red, stopped by the budget, exit 1.
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(
        /ended red: stopped by a budget: the MAX_WALL_TIME budget of 25 s is spent/,
      );
      const resume = resumed.find((event) => event.type === "run-resume")!;
      const refusal = resumed.find((event) => event.type === "budget-refuse");
      expect(refusal).toMatchObject({ kind: "wall-time", limit: 25_000 });
      const used = refusal?.type === "budget-refuse" ? refusal.used : 0;
      expect(refusal!.at - resume.at).toBeLessThan(used);

      const third = startCli(
        ["resume", "--workers", "3", "--max-time", "60", "--repo", repo.repo, "--json"],
        env,
      );
      const restart = await third.waitForLine((line) => line.includes('"type":"run-resume"'));
      third.child.kill("SIGKILL");
      const stderr = (await third.done).stderr;
      expect(JSON.parse(restart)).toMatchObject({
        settings: { MAX_WORKERS: "3", MAX_WALL_TIME: "60", MAX_COST_USD: "5" },
      });
      expect(stderr).toContain("Note: --workers 3 overrides the run's MAX_WORKERS (2 when it started).");
      expect(stderr).toContain("Note: --max-time 60 overrides the run's MAX_WALL_TIME (25 when it started).");
    },
    wholeRun,
  );

  it(
    "counts the tokens spent before a kill against --max-tokens after a plain resume",
    async () => {
      // A whole run of 16 modules takes about 90k tokens; the budget holds two thirds of it.
      ({ server, repo } = await startSwarm(16));
      const budget = 60_000;
      const env = runEnv(server.url, {
        MAX_WORKERS: "2",
        LLM_MAX_TOKENS: "1024",
        HEALTH_CHECK_INTERVAL: "1",
      });
      const first = startCli(
        ["Build per SPEC.md", "--max-tokens", String(budget), "--repo", repo.repo, "--json"],
        env,
      );
      // Killed by work, not time: once the first process has spent 36k tokens (3/5 of the budget).
      let spentBefore = 0;
      await first.waitForLine((line) => {
        if (!line.includes('"type":"model-call-end"')) return false;
        const event = JSON.parse(line) as LongshotEvent;
        if (event.type === "model-call-end")
          spentBefore += event.usage.promptTokens + event.usage.completionTokens;
        return spentBefore >= 36_000;
      });
      first.child.kill("SIGKILL");
      expect((await first.done).signal).toBe("SIGKILL");

      const second = await runCli(["resume", "--repo", repo.repo, "--json"], env);
      const resumed = events(second.stdout);
      expect(resumed.find((event) => event.type === "run-resume")).toMatchObject({
        settings: { MAX_TOKENS: String(budget) },
      });
      expect(second.code, second.stderr.slice(-2000)).toBe(1);
      expect(second.stderr).toMatch(
        /ended red: stopped by a budget: budget reached: The run budget of 60000 tokens would be exceeded: \d+ tokens used/,
      );
      // The refusal counted what the killed process spent.
      const refusal = resumed.find((event) => event.type === "budget-refuse");
      expect(refusal).toMatchObject({ scope: "run", kind: "tokens", limit: budget });
      expect(refusal?.type === "budget-refuse" ? refusal.used : 0).toBeGreaterThanOrEqual(spentBefore);
      const size = (event: LongshotEvent): number =>
        event.type === "model-call-end" ? event.usage.promptTokens + event.usage.completionTokens : 0;
      const spentAfter = resumed.reduce((sum, event) => sum + size(event), 0);
      withStore(repo.repo, (store) => {
        const [run] = store.listRuns();
        const calls = store.events(run!.runId, { types: ["model-call-end"] });
        const total = calls.reduce((sum, event) => sum + size(event), 0);
        const largest = Math.max(...calls.map(size));
        // A call the kill cut off was sent (and may be billed) but never ended: it counts as a call.
        const sent = store.events(run!.runId, { types: ["model-call-start"] }).length;
        expect(sent).toBeGreaterThanOrEqual(calls.length);
        // Both processes together stay within the budget (give or take one call's estimate),
        // where a resume that forgot the first process's tokens would spend another ~60k.
        expect(total).toBeGreaterThanOrEqual(spentBefore + spentAfter);
        expect(total).toBeLessThanOrEqual(budget + largest);
        expect(spentAfter).toBeLessThanOrEqual(budget - spentBefore + largest);
        // The report counts every call of the run, from both processes.
        const report = readFileSync(
          join(repo!.repo, ".git", "longshot", "runs", run!.runId, "report.md"),
          "utf8",
        );
        expect(report).toContain(`${(total / 1000).toFixed(1)}k tokens · ${sent} model calls`);
      });
    },
    wholeRun,
  );
});
