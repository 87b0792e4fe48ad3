import type { ConflictCosts } from "./conflict-costs.ts";
import type { DuplicatedLines } from "./duplicated-lines.ts";
import type { LandingRate } from "./landing-rate.ts";
import type { LatencyModel } from "./latency-model.ts";
import type { PhaseBreakdown } from "./phase-breakdown.ts";
import type { SwarmCounts } from "./swarm-metrics.ts";

/** One swarm scenario: a whole run of the engine against the fake model. */
export interface SwarmConfig {
  readonly name: string;
  /** Planned tasks: one per module, plus the barrel and README tasks the policy adds. */
  readonly tasks: number;
  readonly workers: number;
  /** Files of existing code added to the repository. */
  readonly fillerFiles: number;
  /** Module tasks per planner batch. */
  readonly batchSize: number;
  /** Every n-th module task also edits src/index.ts (overlapping scopes); 0 for none. */
  readonly sharedIndexEvery: number;
  /**
   * Every n-th answer of the scripted model to a conflict-resolution request is careless (keeps
   * both sides, which the checks catch, so the task runs again); 0 for never.
   */
  readonly carelessResolutionEvery?: number;
  readonly latency: LatencyModel;
  readonly health: {
    readonly buildCommand: string;
    readonly testCommand: string;
    readonly intervalSeconds: number;
  };
  /** MAX_WALL_TIME: the run drains after this long (a safety net, reported when hit). */
  readonly maxWallSeconds: number;
  /** How the orchestrator starts programs: through the spawner (default) or as its own children. */
  readonly launcher?: "spawner" | "child";
  /**
   * Every model latency drawn from `latency` is multiplied by this before the reply waits it out
   * (default 1): real agents' minutes scaled down to fit the suite. The ideal is computed from the
   * same scaled latencies; rates per hour are reported in real time (divided back by it).
   */
  readonly timeScale?: number;
  /** Turns each module task spends reading files before it writes (the policy's `exploreTurns`). */
  readonly exploreTurns?: number;
}

/** What a swarm scenario measured. */
export interface SwarmResult {
  readonly config: SwarmConfig;
  /** CPU cores the run had (the CPU floor's divisor). */
  readonly cores: number;
  readonly repositoryFiles: number;
  readonly status: string;
  readonly reason: string;
  readonly wallMs: number;
  readonly ideal: {
    readonly scheduledMs: number;
    readonly criticalPathMs: number;
    readonly lowerBoundMs: number;
    readonly totalWorkMs: number;
    readonly tailMs: number;
    readonly tasksWithoutCalls: number;
  };
  readonly orchestrator: {
    readonly cpuMs: number;
    readonly cpuMsPerTask: number;
    readonly peakRssMb: number;
    readonly eventLoopDelayP99Ms: number;
    readonly eventLoopDelayMaxMs: number;
  };
  readonly counts: Pick<
    SwarmCounts,
    | "tasks"
    | "landed"
    | "completed"
    | "failed"
    | "cancelled"
    | "attempts"
    | "conflicts"
    | "autoResolved"
    | "noopLandings"
    | "rejections"
    | "fixTasks"
    | "healthChecks"
    | "modelCalls"
    | "promptTokens"
    | "completionTokens"
  > & {
    readonly serverCalls: number;
    /** Planner calls after the root plan: replans, which run every few handoffs. */
    readonly replanCalls: number;
    /** Sum of the latencies the planner's replans were given, ms. */
    readonly replanLatencyMs: number;
    readonly events: number;
  };
  /**
   * Child processes the orchestrator process started during the run (setup included), per task
   * and by command; processes a spawner or a sandbox starts are not forks of the orchestrator.
   */
  readonly spawns: {
    readonly total: number;
    readonly perTask: number;
    readonly byCommand: readonly { readonly command: string; readonly count: number }[];
    /** CPU of the spawner process itself, ms (0 without one). */
    readonly spawnerCpuMs: number;
    /** CPU of every program the run started and waited for (git, sandbox commands, checks), ms. */
    readonly programsCpuMs: number;
  };
  /**
   * The CPU of the project's build check (what the judge runs on every attempt's commit), run
   * after the swarm on the run's base tree and on its final tree, median of three runs each, ms.
   */
  readonly buildCheckCpuMs?: { readonly base: number; readonly final: number };
  /** The merge queue's pace inside the run. */
  readonly landing: LandingRate;
  /** How conflicts were answered (queue rules, hunk resolutions, re-runs) and their tokens. */
  readonly conflictCosts: ConflictCosts;
  /** Lines written twice in the files the run changed, on the integration branch at the end (goal 0). */
  readonly duplicatedLines: DuplicatedLines;
  /** Mean ms per landed attempt, by phase. */
  readonly phases: PhaseBreakdown;
  readonly sandboxReadyMs: { readonly p50: number; readonly p95: number };
  readonly landedPerHour: number;
  /** Landing times (s from start) and the ideal's finish times (s), for the chart. */
  readonly curve: { readonly landedS: readonly number[]; readonly idealS: readonly number[] };
  readonly serverFailures: readonly string[];
}
