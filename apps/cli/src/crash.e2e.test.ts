import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type LongshotEvent, systemClock } from "@longshot/core";
import { SqliteStore } from "@longshot/store";
import { describe, expect, it } from "vitest";
import { baseEnv, cliSuite, runCli, sampleRepo, startCli } from "./__fixtures__/cli-harness.js";
import { orchestratorNodeFlags } from "./node-flags.js";

const modules = 10;
const suite = cliSuite(modules, {
  SWARM_BREAK: "mean",
  SWARM_SHARED_EVERY: "3",
  SWARM_LATENCY_MS: "60",
});

function parse(line: string): LongshotEvent | null {
  try {
    return JSON.parse(line) as LongshotEvent;
  } catch {
    return null;
  }
}

/** Starts longshot and kills it with SIGKILL once `when` has seen the event it waits for. */
async function killWhen(
  args: string[],
  when: (event: LongshotEvent, seen: Map<string, number>) => boolean,
  delayMs = 0,
) {
  const env = suite.env({ MAX_WORKERS: "3", HEALTH_CHECK_INTERVAL: "1" });
  const running = startCli([...args, "--repo", suite.repo.repo, "--json"], env);
  const seen = new Map<string, number>();
  await running.waitForLine((line) => {
    const event = parse(line);
    if (!event) return false;
    seen.set(event.type, (seen.get(event.type) ?? 0) + 1);
    return when(event, seen);
  });
  // The run started again, in the same process, with Node's settings for an orchestrator.
  const cmdline = readFileSync(`/proc/${running.child.pid}/cmdline`, "utf8").split("\0");
  for (const flag of orchestratorNodeFlags) expect(cmdline).toContain(flag);
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  running.child.kill("SIGKILL");
  const finished = await running.done;
  expect(finished.signal).toBe("SIGKILL");
}

describe("crash and resume", () => {
  // Four processes over one run of 12 tasks: ten seconds a task each, as in the demo's limit.
  it("survives SIGKILL mid-dispatch, mid-merge and mid-sweep, losing nothing and merging nothing twice", {
    timeout: 60_000 + 4 * 12 * 10_000,
  }, async () => {
    // 1. Mid-dispatch: workers hold sandboxes and half-done attempts.
    await killWhen(
      ["Build per SPEC.md"],
      (event, seen) => event.type === "attempt-start" && (seen.get("attempt-start") ?? 0) >= 3,
    );
    // Its log never recorded an end, but no process runs it: runs and show say it is interrupted.
    const listed = await runCli(["runs", "--repo", suite.repo.repo], baseEnv());
    expect(listed.stdout).toMatch(/^r\S+\s+stopped\s/m);
    expect(listed.stdout).not.toContain("so far");
    const shown = await runCli(["show", "latest", "--repo", suite.repo.repo], baseEnv());
    expect(shown.stdout).toMatch(
      /^Run r\S+: stopped — interrupted: its process is gone \(longshot resume continues it\)$/m,
    );
    // 2. Mid-merge: a finished attempt was just handed to the merge queue.
    await killWhen(["resume"], (event) => event.type === "merge-enqueue");
    // 3. Mid-sweep: a landing was just announced, so the reconciler is checking the new head.
    await killWhen(["resume"], (event) => event.type === "merge-land", 150);
    // 4. Let it finish.
    const env = suite.env({ MAX_WORKERS: "3", HEALTH_CHECK_INTERVAL: "1" });
    const last = await runCli(["resume", "--repo", suite.repo.repo, "--json"], env);
    expect(last.stderr).toContain("ended green");
    expect(last.code).toBe(0);

    const store = new SqliteStore(join(suite.repo.repo, ".git", "longshot", "longshot.db"), {
      clock: systemClock,
    });
    try {
      const [run] = store.listRuns();
      expect(run?.status).toBe("green");
      const runId = run!.runId;
      // Every task is accounted for.
      const tasks = store.listTasks(runId);
      expect(tasks.filter((task) => task.kind === "plan")).toHaveLength(modules + 2);
      expect(tasks.filter((task) => task.state !== "landed")).toEqual([]);
      // No merge applied twice: one landing event and one commit on main per task.
      const events = store.events(runId);
      const landings = events.filter((event) => event.type === "merge-land").map((event) => event.taskId);
      expect(new Set(landings).size).toBe(landings.length);
      const trailers = suite.repo
        .git("log", "main", "--format=%B")
        .split("\n")
        .filter((line) => line.startsWith("Longshot-Task: "))
        .map((line) => line.slice("Longshot-Task: ".length));
      expect(trailers.sort()).toEqual(tasks.map((task) => task.id).sort());
      // No commit lost: every module and its test are on main, and the break was repaired.
      const files = suite.repo.git("ls-tree", "-r", "--name-only", "main").split("\n");
      for (const task of tasks.filter((entry) => entry.title.startsWith("Implement "))) {
        const name = task.title.slice("Implement ".length);
        expect(files).toContain(`src/${name}.ts`);
        expect(files).toContain(`src/${name}.test.ts`);
      }
      expect(suite.repo.git("show", "main:src/mean.ts")).not.toContain("const broken");
      // The run was resumed three times and ended green on the branch it checked.
      expect(events.filter((event) => event.type === "run-resume")).toHaveLength(3);
      const health = events.filter((event) => event.type === "health-check").at(-1);
      expect(health).toMatchObject({ green: true });
      // Nothing is left running: no worktree besides the repository and the reconciler's own.
      const worktrees = suite.repo.git("worktree", "list").split("\n");
      expect(
        worktrees.filter((line) => !line.startsWith(suite.repo.repo) && !line.includes("/checks/")),
      ).toEqual([]);
    } finally {
      store.close();
    }
  });

  it("refuses a second run while one holds the repository", async () => {
    const other = sampleRepo(4);
    try {
      const env = suite.env({ MAX_WORKERS: "1" });
      const first = startCli(["Build per SPEC.md", "--repo", other.repo, "--json"], env);
      await first.waitForLine((line) => parse(line)?.type === "attempt-start");
      const second = await runCli(["resume", "--repo", other.repo], env);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/error: .*(is running|holds|locked|lock)/i);
      // A run its live process holds is listed as running.
      const listed = await runCli(["runs", "--repo", other.repo], baseEnv());
      expect(listed.stdout).toMatch(/^r\S+\s+running\s.* so far/m);
      first.child.kill("SIGINT");
      const done = await first.done;
      expect(done.code).toBe(130);
    } finally {
      other.cleanup();
    }
  });
});
