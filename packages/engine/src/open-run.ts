import { join } from "node:path";
import type { CheckCommand, Harness } from "@longshot/agent";
import { type Clock, type Config, type Logger, runSettingsOf } from "@longshot/core";
import type { Git } from "@longshot/git";
import type { LanguageModel } from "@longshot/llm";
import type { PlannerLimitsInput } from "@longshot/planner";
import type { SandboxProvider } from "@longshot/sandbox";
import type { Store } from "@longshot/store";
import { HarnessWorker } from "./adapters/harness-worker.js";
import { openRunSandboxes } from "./adapters/run-sandboxes.js";
import { StoreRunLog } from "./adapters/store-run-log.js";
import { type EngineSettings, RunEngine, type RunStart } from "./engine.js";
import { engineSettings } from "./engine-settings.js";
import { handoffGuard } from "./handoff-guard.js";
import { ModelJudge } from "./judge.js";
import {
  createConflictResolver,
  createCritics,
  createHealth,
  createLander,
  createMergeGate,
  createPlanner,
  type RunPartsContext,
} from "./run-parts.js";
import { setUpRun } from "./run-setup.js";
import type { SandboxRoute } from "./sandbox-routes.js";
import { GitTaskBranches } from "./task-branches.js";

export interface OpenRunOptions {
  readonly repoPath: string;
  readonly config: Config;
  readonly runId: string;
  /** The build request for a new run; null to resume `runId` from its log. */
  readonly request: string | null;
  readonly store: Store;
  readonly model: LanguageModel;
  /** The sandbox provider the caller chose from SANDBOX_PROVIDER. */
  readonly sandboxes: SandboxProvider;
  /** Sandboxes for tasks with requirements (SANDBOX_ROUTES), tried in order. */
  readonly routes?: readonly SandboxRoute[];
  /** The worker harness the caller chose from WORKER_HARNESS (the built-in agent or a CLI). */
  readonly harness: Harness;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where run state lives: `<repo>/.git/longshot`. */
  readonly stateDir: string;
  /** The project's checks, offered to workers as `run_checks`. */
  readonly checks: readonly CheckCommand[];
  /** Health checks and fix tasks by the reconciler (default), or none. */
  readonly health?: "reconciler" | "none";
  /** PATH of sandboxes: the project's toolchain (the provider is configured with it). */
  readonly toolPath?: string;
  /** Directory of the runs' sandboxes' repositories; default `<stateDir>/sandbox-repositories`. */
  readonly sandboxRepositories?: string;
  readonly plannerLimits?: PlannerLimitsInput;
  readonly judge?: boolean;
  /** Give sandboxes network access whatever SANDBOX_NETWORK says (external CLIs need it). */
  readonly sandboxNetwork?: boolean;
  /**
   * A git remote (such as `origin` of the clone of GIT_REPO_URL) holding the integration branch:
   * every landing is pushed with a lease and counts only once the push succeeded.
   */
  readonly remote?: string;
}

export interface OpenedRun {
  readonly engine: RunEngine;
  /** What `engine.run` needs for a new run; null when resuming. */
  readonly start: RunStart | null;
  readonly integrationBranch: string;
  readonly git: Git;
  /**
   * Puts held-out acceptance tests (HIDDEN_TESTS) back on the integration branch; call it when
   * the run is over, before the target branch moves or a pull request is opened.
   */
  restoreHidden(): Promise<void>;
  /**
   * How many sandboxes' workspaces were made ready ahead of the first wave (one per worker at
   * most, while the planner thinks, until the first worker's sandbox is made; 0 for a provider
   * with nothing to prepare). Never rejects.
   */
  readonly warmed: Promise<number>;
  /** Destroys the merge gate's sandbox and deletes the run's sandboxes' repository; call after the run. */
  close(): Promise<void>;
}

/**
 * Builds an engine for a new run (creating its integration branch at the target branch's head)
 * or for resuming one: the run-start step (`setUpRun`), then the engine's parts from the
 * configuration around the harness, sandbox provider and model client the caller chose.
 */
export async function openRun(options: OpenRunOptions): Promise<OpenedRun> {
  const { config, runId, repoPath, clock } = options;
  const setup = await setUpRun({
    repoPath,
    config,
    runId,
    request: options.request,
    store: options.store,
    sandboxName: options.sandboxes.name,
    harnessName: options.harness.name,
    ...(options.remote === undefined ? {} : { remote: options.remote }),
  });
  const settings = withNetwork(engineSettings(config), options.sandboxNetwork === true);
  const runSandboxes = await openRunSandboxes({
    provider: options.sandboxes,
    git: setup.git,
    runner: setup.runner,
    runId,
    dir: options.sandboxRepositories ?? join(options.stateDir, "sandbox-repositories"),
    root: setup.root,
    hiddenPath: setup.hiddenPath,
    branchPrefix: config.GIT_BRANCH_PREFIX,
    limits: settings.sandboxLimits,
  });
  // The first wave's worktrees, made while the planner thinks: one at a time, off every
  // critical path, up to one per worker (the warm pool's size), until a worker makes its own.
  const warming = new AbortController();
  const warmed = setup.git
    .resolveCommit(setup.integrationBranch)
    .then((head) =>
      runSandboxes.provider.warm({
        repoPath,
        baseCommit: head ?? setup.root,
        count: config.MAX_WORKERS,
        signal: warming.signal,
      }),
    )
    .catch(() => 0);
  const context: RunPartsContext = {
    setup,
    config,
    runId,
    repoPath,
    stateDir: options.stateDir,
    model: options.model,
    sandboxes: runSandboxes,
    limits: settings.sandboxLimits,
    checks: options.checks,
    clock,
    logger: options.logger,
    ...(options.remote === undefined ? {} : { remote: options.remote }),
  };
  const gate = createMergeGate(context);
  let emitToEngine: RunEngine | null = null;
  const engine = await RunEngine.open({
    runId,
    repoPath,
    log: new StoreRunLog(options.store, runId),
    resolver: await createConflictResolver(context),
    harness: new HarnessWorker(options.harness, {
      maxTurns: config.AGENT_MAX_TURNS,
      wallTimeMs: config.WORKER_TIMEOUT * 1000,
      stuckTimeoutMs: config.AGENT_STUCK_TIMEOUT * 1000,
      ...(config.TASK_MAX_TOKENS === undefined ? {} : { maxTokens: config.TASK_MAX_TOKENS }),
    }),
    sandboxes: runSandboxes.provider,
    lander: createLander(context, gate?.gate ?? null, (event) => emitToEngine?.append(event)),
    planner: createPlanner(context, options.plannerLimits),
    health: options.health === "none" ? null : createHealth(context),
    judge: options.judge === false ? null : new ModelJudge(options.model),
    attemptChecks: options.checks,
    critics: createCritics(context),
    diff: (base, commit, signal) => setup.git.diff(base, commit, { signal }),
    handoff: handoffGuard(setup.git, {
      maxFileBytes: config.TASK_MAX_FILE_KB * 1024,
      maxDiffBytes: config.TASK_MAX_DIFF_KB * 1024,
    }),
    clock,
    logger: options.logger,
    settings,
    recordedSettings: runSettingsOf(config),
    // Every route's sandboxes are made from the run's sandboxes' repository too.
    ...(options.routes === undefined
      ? {}
      : {
          routes: options.routes.map((route) => ({
            ...route,
            sandboxes: runSandboxes.wrap(route.sandboxes),
          })),
        }),
    taskBranches: new GitTaskBranches(setup.git, {
      namespace: `${config.GIT_BRANCH_PREFIX}${runId}/`,
      integrationBranch: setup.integrationBranch,
    }),
  });
  emitToEngine = engine;
  // Warming is for the planning window: once a worker's first sandbox is made, demand makes the
  // rest (and a run of few tasks does not get a worktree for every worker).
  const opened = engine.state.lastSeq;
  void (async () => {
    for await (const event of engine.events(opened, warming.signal)) {
      if (event.type === "sandbox-create") {
        warming.abort();
        return;
      }
    }
  })().catch(() => undefined);
  const close = async (): Promise<void> => {
    warming.abort();
    await warmed;
    await gate?.close();
    await runSandboxes.remove();
  };
  return {
    engine,
    start: setup.start,
    integrationBranch: setup.integrationBranch,
    git: setup.git,
    warmed,
    restoreHidden: setup.restoreHidden,
    close,
  };
}

/** Settings whose sandboxes get network access when the harness needs it. */
function withNetwork(settings: EngineSettings, network: boolean): EngineSettings {
  if (!network) return settings;
  return { ...settings, sandboxLimits: { ...settings.sandboxLimits, network: true } };
}
