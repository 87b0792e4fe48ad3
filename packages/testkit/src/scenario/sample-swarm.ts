import { type FakeLlmServer, startFakeLlm } from "../fake-llm-server.js";
import type { FakePolicy } from "../fake-policy.js";
import { type SampleModule, sampleModules } from "./sample-library.js";
import { createSampleRepo } from "./sample-repo.js";
import { type SwarmScenario, type SwarmStats, swarmPolicy } from "./swarm-policy.js";

/** Options of {@link startSampleSwarm}. */
export interface SampleSwarmOptions {
  /** How many modules of the sample library the repository and the plan hold. */
  readonly modules: number;
  /** MAX_WORKERS of the run. */
  readonly workers: number;
  /** How the swarm plays besides its defaults (batches of 16 modules). */
  readonly scenario?: Omit<Partial<SwarmScenario>, "modules">;
  /** Changes how the fake model plays (critics besides the swarm, say). */
  readonly policy?: (swarm: ReturnType<typeof swarmPolicy>) => FakePolicy;
  /** Model ids the fake serves besides `fake-model` and `fake-alt`. */
  readonly models?: readonly string[];
}

/** A sample repository and a fake model server playing every role of a run on it. */
export interface SampleSwarm {
  /** The sample repository's path. */
  readonly repo: string;
  readonly modules: readonly SampleModule[];
  /** Close it when done. */
  readonly server: FakeLlmServer;
  readonly stats: SwarmStats;
  /**
   * The run's settings against the server: `fake-model` for each role and `fake-alt` as the
   * alternate worker, the sample's build and test commands, and a health check after every
   * landing.
   */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Writes the sample library's first `modules` modules as a repository at `repo` and starts a
 * fake model server that plays planner, workers and judge for a run on it (`swarmPolicy`).
 */
export async function startSampleSwarm(repo: string, options: SampleSwarmOptions): Promise<SampleSwarm> {
  const modules = sampleModules.slice(0, options.modules);
  createSampleRepo(repo, modules);
  const swarm = swarmPolicy({ modules, batchSize: 16, ...options.scenario });
  const server = await startFakeLlm({
    policy: options.policy?.(swarm) ?? swarm,
    models: ["fake-model", "fake-alt", ...(options.models ?? [])],
  });
  const env = {
    LLM_BASE_URL: server.url,
    LLM_API_KEY: "sk-test-key-123456",
    LLM_MODEL: "fake-model",
    LLM_ALT_WORKER_MODEL: "fake-alt",
    MAX_WORKERS: String(options.workers),
    BUILD_COMMAND: "node scripts/build.mjs",
    TEST_COMMAND: "node --test",
    HEALTH_CHECK_INTERVAL: "1",
  };
  return { repo, modules, server, stats: swarm.stats, env };
}
