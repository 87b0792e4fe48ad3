import { type Clock, silentLogger, systemClock } from "@longshot/core";
import type { AttemptCheck } from "../attempt-checks.js";
import { type EngineSettings, RunEngine, type RunStart } from "../engine.js";
import type { Judge } from "../judge.js";
import type { ConflictResolver, HealthPort, RunLog } from "../ports.js";
import {
  type AttemptScript,
  type FakeCommands,
  FakeLander,
  FakePlanner,
  FakeSandboxProvider,
  MemoryRunLog,
  type PlannerScript,
  ScriptedHarness,
} from "./fake-ports.js";

export const fakeBase = "b0";

export const fakeSettings: EngineSettings = {
  maxWorkers: 2,
  maxAttempts: 2,
  maxConflictRetries: 4,
  workerTimeoutMs: 60_000,
  workerModel: "worker-model",
  altWorkerModel: "alt-model",
  fixerModel: "fixer-model",
  sandboxLimits: { wallTimeoutMs: 60_000, idleTimeoutMs: 60_000, cpuCores: 1, memoryMb: 512, network: false },
  branchPrefix: "longshot/",
  maxWallTimeMs: null,
  finalization: true,
  finalizationMaxAttempts: 2,
};

export interface FakeRunOptions {
  readonly planner: PlannerScript;
  /** How each attempt ends; default: complete with a commit. */
  readonly attempt?: AttemptScript;
  /** Health checks; null for a run without them. */
  readonly health?: (engine: RunEngine) => HealthPort;
  readonly judge?: Judge | null;
  readonly settings?: Partial<EngineSettings>;
  readonly clock?: Clock;
  /** An existing log (in memory or the SQLite store's), to resume the run it holds. */
  readonly log?: RunLog;
  /** The merge queue; pass the previous process's to resume on the branch it left. */
  readonly lander?: FakeLander;
  /** Resolves conflicts at hunk size; default none (every conflict re-runs the task). */
  readonly resolver?: ConflictResolver | null;
  readonly attemptChecks?: readonly AttemptCheck[];
  readonly commands?: FakeCommands;
  readonly runId?: string;
}

/** A run engine over fakes of every port (see fake-ports.ts), ready to `run(start)`. */
export interface FakeRun {
  readonly engine: RunEngine;
  readonly harness: ScriptedHarness;
  readonly lander: FakeLander;
  readonly planner: FakePlanner;
  readonly sandboxes: FakeSandboxProvider;
  readonly log: RunLog;
  /** The run-start of a new run (pass null to `run` to resume). */
  readonly start: RunStart;
}

export async function fakeRun(options: FakeRunOptions): Promise<FakeRun> {
  const runId = options.runId ?? "r-fake";
  const clock = options.clock ?? systemClock;
  const log = options.log ?? new MemoryRunLog(runId, clock);
  const harness = new ScriptedHarness(options.attempt ?? (() => ({})));
  const lander = options.lander ?? new FakeLander(fakeBase);
  const sandboxes = new FakeSandboxProvider(options.commands);
  let planner: FakePlanner | null = null;
  const engine = await RunEngine.open({
    runId,
    repoPath: "/fake",
    log,
    harness,
    sandboxes,
    lander,
    resolver: options.resolver ?? null,
    planner: async (snapshot, emit) => {
      planner = new FakePlanner(options.planner, snapshot, emit, clock, runId);
      return planner;
    },
    health: options.health ?? null,
    judge: options.judge ?? null,
    attemptChecks: options.attemptChecks ?? [],
    diff: async () => "",
    clock,
    logger: silentLogger(),
    settings: { ...fakeSettings, ...options.settings },
  });
  const start: RunStart = {
    request: "Build per SPEC.md",
    repo: "/fake",
    baseCommit: fakeBase,
    targetBranch: "main",
    integrationBranch: `longshot/${runId}/integration`,
  };
  return { engine, harness, lander, planner: planner!, sandboxes, log, start };
}
