/**
 * One swarm scenario, in a process of its own so that its CPU time and peak RSS are the
 * orchestrator's alone: the engine runs here in-process (planner, built-in agents, local
 * worktree sandboxes, merge queue, reconciler, SQLite event log), while the fake model server
 * runs in a child process. Writes a SwarmResult as JSON.
 *
 *   node --max-semi-space-size=16 src/swarm-run.ts '<SwarmConfig as JSON>' <result.json>
 *
 * main.ts starts it with the Node flags `longshot` starts a run with (`orchestratorNodeFlags`).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { type ComposedRun, composeRun, workspaceRootOf } from "@longshot/cli";
import {
  ChildProcessLauncher,
  type LongshotEvent,
  loadConfig,
  type NewEvent,
  processLauncher,
  SpawnerProcessLauncher,
  setProcessLauncher,
  silentLogger,
  systemClock,
} from "@longshot/core";
import { Git } from "@longshot/git";
import { modelClientFromConfig } from "@longshot/llm";
import { SqliteStore } from "@longshot/store";
import { benchModules, createBenchRepo } from "./bench-repo.ts";
import { startWithFirstLine, stopChild } from "./child-process.ts";
import { conflictCosts } from "./conflict-costs.ts";
import { idealSchedule } from "./critical-path.ts";
import { type DuplicatedLines, duplicatedLines } from "./duplicated-lines.ts";
import type { FakeServerConfig, FakeServerReport } from "./fake-server-process.ts";
import { idealInputs } from "./ideal-inputs.ts";
import { landingRate } from "./landing-rate.ts";
import { phaseBreakdown } from "./phase-breakdown.ts";
import { countSpawns, processCpu } from "./spawn-count.ts";
import { percentile, runTasks, swarmCounts } from "./swarm-metrics.ts";
import type { SwarmConfig, SwarmResult } from "./swarm-types.ts";

const here = dirname(fileURLToPath(import.meta.url));
const config = JSON.parse(process.argv[2] ?? "{}") as SwarmConfig;
const output = process.argv[3];
if (output === undefined) throw new Error("usage: swarm-run.ts <config-json> <result.json>");

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Duplicated lines in the files the run changed, as the integration branch holds them at the end. */
async function finalTreeDuplicates(
  repo: string,
  events: readonly LongshotEvent[],
  branch: string,
): Promise<DuplicatedLines> {
  const start = events.find((event) => event.type === "run-start");
  if (start?.type !== "run-start") return { count: 0, files: [] };
  const git = new Git(repo);
  const changed = await git.diffNameStatus(start.baseCommit, branch);
  const files = new Map<string, string>();
  for (const entry of changed) {
    const content = await git.readFile(branch, entry.path);
    if (content !== null) files.set(entry.path, content);
  }
  return duplicatedLines(files);
}

/**
 * The CPU of `command` on `revision` of `repo`: median of `runs` runs in a worktree of its own,
 * measured as this process's waited-for children's CPU.
 */
function checkCpuMs(repo: string, revision: string, command: string, runs = 3): number {
  const worktree = mkdtempSync(join(tmpdir(), "longshot-bench-check-"));
  const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { stdio: "ignore" });
  try {
    git("worktree", "add", "--detach", "--force", worktree, revision);
    const used: number[] = [];
    for (let run = 0; run < runs; run++) {
      const before = processCpu("self")?.childrenMs ?? 0;
      execFileSync("sh", ["-c", command], { cwd: worktree, stdio: "ignore" });
      used.push((processCpu("self")?.childrenMs ?? 0) - before);
    }
    return percentile(
      used.sort((a, b) => a - b),
      0.5,
    );
  } finally {
    git("worktree", "remove", "--force", worktree);
    rmSync(worktree, { recursive: true, force: true });
  }
}

async function main(): Promise<SwarmResult> {
  const dir = mkdtempSync(join(tmpdir(), `longshot-bench-${config.name}-`));
  const repo = join(dir, "repo");
  const moduleCount = config.tasks - 2;
  const repositoryFiles = createBenchRepo(repo, benchModules(moduleCount), config.fillerFiles);
  const serverConfig: FakeServerConfig = {
    modules: moduleCount,
    batchSize: config.batchSize,
    sharedIndexEvery: config.sharedIndexEvery,
    carelessResolutionEvery: config.carelessResolutionEvery ?? 0,
    latency: config.latency,
    timeScale: config.timeScale ?? 1,
    exploreTurns: config.exploreTurns ?? 0,
    callLog: join(dir, "calls.json"),
  };
  const server = await startWithFirstLine(
    join(here, "fake-server-process.ts"),
    [JSON.stringify(serverConfig)],
    here,
  );
  // Every process the orchestrator forks from here on (the fake server is already running).
  const spawns = countSpawns();
  if (config.launcher === "child") setProcessLauncher(new ChildProcessLauncher());
  const controller = new AbortController();
  const store = new SqliteStore(join(repo, ".git", "longshot", "longshot.db"), { clock: systemClock });
  let composed: ComposedRun | null = null;
  try {
    const { config: runConfig } = loadConfig({
      env: {
        LLM_BASE_URL: server.line,
        LLM_API_KEY: "sk-bench-key-123456",
        LLM_MODEL: "fake-model",
        LLM_ALT_WORKER_MODEL: "fake-alt",
        MAX_WORKERS: String(config.workers),
        BUILD_COMMAND: config.health.buildCommand,
        TEST_COMMAND: config.health.testCommand,
        HEALTH_CHECK_INTERVAL: String(config.health.intervalSeconds),
        MAX_WALL_TIME: String(config.maxWallSeconds),
      },
    });
    let forward: ((event: NewEvent) => void) | null = null;
    const { client: model } = await modelClientFromConfig(runConfig, {
      signal: controller.signal,
      emit: (event) => forward?.(event),
    });
    const runId = `bench-${config.name}`;
    // The run starts as `longshot` starts one: the app's composition root picks the sandbox
    // provider and harness from the configuration (local sandboxes, the built-in agent).
    composed = await composeRun({
      config: runConfig,
      repo,
      runId,
      request: "Build per SPEC.md",
      store,
      stateDir: join(repo, ".git", "longshot"),
      models: { client: model, description: "fake model server", bind: (emit) => (forward = emit) },
      env: process.env,
      logger: silentLogger(),
      signal: controller.signal,
      // Workers and the judge run the build only, as the recorded series did.
      checks: [{ name: "build", command: config.health.buildCommand }],
    });
    const { opened } = composed;

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const progress = setInterval(() => {
      const { counts } = opened.engine.snapshot();
      const elapsed = Math.round((performance.now() - started) / 1000);
      const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
      process.stderr.write(
        `${config.name}: ${elapsed} s, ${counts.landed} of ${total} landed, ${counts.running} running, ${counts.review} in review, ${counts.merging} merging\n`,
      );
    }, 15_000);
    await opened.engine.run(opened.start).finally(() => clearInterval(progress));
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    delay.disable();
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const spawned = spawns();
    const launcher = processLauncher();
    const spawnerPid = launcher instanceof SpawnerProcessLauncher ? launcher.pid : undefined;
    const spawnerCpu = spawnerPid === undefined ? null : processCpu(spawnerPid);
    // The fake server still runs, so the children counted here are what the orchestrator started.
    const ownChildren = processCpu("self")?.childrenMs ?? 0;

    await stopChild(server.child);
    const start = store.events(runId).find((event) => event.type === "run-start");
    const buildCheckCpuMs =
      start?.type === "run-start"
        ? {
            base: checkCpuMs(repo, start.baseCommit, config.health.buildCommand),
            final: checkCpuMs(repo, opened.integrationBranch, config.health.buildCommand),
          }
        : undefined;
    const report = JSON.parse(readFileSync(serverConfig.callLog, "utf8")) as FakeServerReport;
    const events = store.events(runId);
    const counts = swarmCounts(events);
    const inputs = idealInputs(report.calls, runTasks(events), counts.batches);
    const ideal = idealSchedule(inputs.tasks, config.workers, inputs.tailMs);
    const replans = report.calls
      .filter((call) => call.role === "planner")
      .sort((a, b) => a.index - b.index)
      .slice(counts.batches);
    const cpuMs = (used.user + used.system) / 1000;
    return {
      config,
      cores: availableParallelism(),
      repositoryFiles,
      status: counts.status,
      reason: counts.reason,
      wallMs: round(wallMs, 0),
      ideal: {
        scheduledMs: round(ideal.scheduledMs, 0),
        criticalPathMs: round(ideal.criticalPathMs, 0),
        lowerBoundMs: round(ideal.lowerBoundMs, 0),
        totalWorkMs: round(ideal.totalWorkMs, 0),
        tailMs: inputs.tailMs,
        tasksWithoutCalls: inputs.missing.length,
      },
      orchestrator: {
        cpuMs: round(cpuMs, 0),
        cpuMsPerTask: round(cpuMs / Math.max(1, counts.tasks), 1),
        peakRssMb: round(peakRssMb, 1),
        eventLoopDelayP99Ms: round(delay.percentile(99) / 1e6, 1),
        eventLoopDelayMaxMs: round(delay.max / 1e6, 1),
      },
      counts: {
        tasks: counts.tasks,
        landed: counts.landed,
        completed: counts.completed,
        failed: counts.failed,
        cancelled: counts.cancelled,
        attempts: counts.attempts,
        conflicts: counts.conflicts,
        autoResolved: counts.autoResolved,
        noopLandings: counts.noopLandings,
        rejections: counts.rejections,
        fixTasks: counts.fixTasks,
        healthChecks: counts.healthChecks,
        modelCalls: counts.modelCalls,
        serverCalls: report.calls.length,
        replanCalls: replans.length,
        replanLatencyMs: replans.reduce((sum, call) => sum + call.latencyMs, 0),
        promptTokens: counts.promptTokens,
        completionTokens: counts.completionTokens,
        events: events.length,
      },
      spawns: {
        total: spawned.total,
        perTask: round(spawned.total / Math.max(1, counts.tasks), 2),
        byCommand: spawned.byCommand.slice(0, 20),
        spawnerCpuMs: spawnerCpu?.selfMs ?? 0,
        programsCpuMs: (spawnerCpu?.childrenMs ?? 0) + ownChildren,
      },
      ...(buildCheckCpuMs === undefined ? {} : { buildCheckCpuMs }),
      landing: landingRate(events),
      conflictCosts: conflictCosts(events),
      duplicatedLines: await finalTreeDuplicates(repo, events, opened.integrationBranch),
      phases: phaseBreakdown(events),
      sandboxReadyMs: {
        p50: round(percentile(counts.sandboxReadyMs, 0.5)),
        p95: round(percentile(counts.sandboxReadyMs, 0.95)),
      },
      landedPerHour: round(counts.landingsMs.length / (wallMs / 3_600_000), 0),
      curve: {
        landedS: counts.landingsMs.map((ms) => round(ms / 1000, 2)),
        idealS: ideal.finishesMs.map((ms) => round(ms / 1000, 2)),
      },
      serverFailures: report.failures.slice(0, 20),
    };
  } finally {
    controller.abort();
    await stopChild(server.child);
    await composed?.close();
    store.close();
    rmSync(workspaceRootOf(repo), { recursive: true, force: true });
    // LONGSHOT_BENCH_KEEP=1 keeps the repository and its event log for a closer look.
    if (process.env.LONGSHOT_BENCH_KEEP === "1") process.stderr.write(`kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

const result = await main();
writeFileSync(output, `${JSON.stringify(result, null, 2)}\n`);
// The run is over and measured; work the engine left behind (a replan after a task gave up
// sleeps out a retry against the stopped model server) must not hold the suite for minutes.
process.exit(0);
