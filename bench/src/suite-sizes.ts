import { defaultLatencyModel, realAgentLatencyModel } from "./latency-model.ts";
import type { SwarmConfig } from "./swarm-types.ts";

/** How big each part of the suite runs. */
export interface SuiteSizes {
  readonly mode: "full" | "quick";
  /** Swarm scenarios, smallest first; the last one carries the peak-RSS goal. */
  readonly swarms: readonly SwarmConfig[];
  /** The real regime: real agents' latencies (scaled in time), 200 workers, overlapping scopes. */
  readonly realRegime: SwarmConfig;
  readonly landing: SwarmConfig;
  readonly branches: number;
  readonly dockerIterations: number;
  /** Landings the health-sweep benchmark checks, contained and uncontained. */
  readonly sweepLandings: number;
  readonly agents: number;
  readonly agentTurns: number;
  /**
   * The whole suite's time budget. The package benchmarks run first (their sizes are fixed);
   * each swarm scenario's MAX_WALL_TIME is then cut so that the scenarios after it still get
   * `minimumSwarmSeconds`. A run stopped by its cap is reported as such.
   */
  readonly budgetSeconds: number;
  readonly minimumSwarmSeconds: number;
  /** Repository setup, drain, finalization and analysis around one swarm run. */
  readonly swarmSetupSeconds: number;
}

/**
 * Health checks run for real on every landing (the reconciler sweeps the integration branch),
 * with cheap commands: the build loads every module, the test runs one smoke test file. The
 * interval is the product's default; post-merge sweeps are coalesced.
 */
const health = {
  buildCommand: "node scripts/build.mjs",
  testCommand: "node --test test/smoke.test.mjs",
  intervalSeconds: 10,
} as const;

function swarm(
  name: string,
  tasks: number,
  workers: number,
  fillerFiles: number,
  extra: Partial<SwarmConfig> = {},
): SwarmConfig {
  return {
    name,
    tasks,
    workers,
    fillerFiles,
    batchSize: 48,
    sharedIndexEvery: 0,
    latency: defaultLatencyModel,
    health,
    maxWallSeconds: 600,
    ...extra,
  };
}

/** The full suite: issue 13's sizes. */
export const fullSizes: SuiteSizes = {
  mode: "full",
  swarms: [swarm("swarm-500", 500, 100, 3_000), swarm("swarm-1000", 1_000, 200, 3_000)],
  // Tasks of about 2.4 minutes (nine calls of 5–60 s: six reads, the writes, the finish, the
  // review) at half speed, two waves of 200 workers; one task in twenty also edits the index
  // (each of those conflicts, and their resolutions take turns: see the README).
  realRegime: swarm("swarm-real", 400, 200, 3_000, {
    latency: realAgentLatencyModel,
    timeScale: 0.5,
    exploreTurns: 6,
    sharedIndexEvery: 20,
    maxWallSeconds: 420,
  }),
  // 50 workers: the precursor's published run, which landed 24% of its merges. One answer in ten
  // to a conflict-resolution request is careless, so the fallback to a re-run is measured too.
  landing: swarm("landing-200", 200, 50, 3_000, { sharedIndexEvery: 1, carelessResolutionEvery: 10 }),
  branches: 200,
  dockerIterations: 20,
  sweepLandings: 12,
  agents: 200,
  agentTurns: 10,
  budgetSeconds: 20 * 60,
  minimumSwarmSeconds: 90,
  swarmSetupSeconds: 45,
};

/** CI's quick suite: every part on small sizes, so none of them can rot. */
export const quickSizes: SuiteSizes = {
  mode: "quick",
  swarms: [swarm("swarm-60", 60, 12, 500, { maxWallSeconds: 120 })],
  realRegime: swarm("swarm-real-40", 40, 20, 500, {
    latency: realAgentLatencyModel,
    timeScale: 0.02,
    exploreTurns: 6,
    sharedIndexEvery: 4,
    maxWallSeconds: 120,
  }),
  landing: swarm("landing-30", 30, 12, 500, {
    sharedIndexEvery: 1,
    carelessResolutionEvery: 10,
    maxWallSeconds: 120,
  }),
  branches: 50,
  dockerIterations: 3,
  sweepLandings: 4,
  agents: 50,
  agentTurns: 5,
  budgetSeconds: 100,
  minimumSwarmSeconds: 20,
  swarmSetupSeconds: 10,
};
