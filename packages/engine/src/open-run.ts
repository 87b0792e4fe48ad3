import { join } from "node:path";
import { BuiltinHarness, type CheckCommand, type Harness } from "@longshot/agent";
import {
  type Clock,
  type Config,
  integrationBranch,
  type Logger,
  runSettingsOf,
  UserError,
} from "@longshot/core";
import { Git, type Identity, ProcessGitRunner } from "@longshot/git";
import { type LanguageModel, roleModelsFromConfig } from "@longshot/llm";
import { type MergeGateOptions, RemoteBranchTarget } from "@longshot/merge-queue";
import { GitRepoReader, JsonFilePlannerStateStore, type PlannerLimitsInput } from "@longshot/planner";
import {
  isInside,
  normalizePath,
  type OpenCheckSandbox,
  restoreHiddenTests,
  withoutHiddenTests,
} from "@longshot/reconciler";
import type { SandboxProvider } from "@longshot/sandbox";
import type { Store } from "@longshot/store";
import { HarnessWorker } from "./adapters/harness-worker.js";
import { HiddenRepoReader } from "./adapters/hidden-repo-reader.js";
import { HunkConflictResolver } from "./adapters/hunk-conflict-resolver.js";
import { QueueLander } from "./adapters/queue-lander.js";
import { createCheckWorkspace, ReconcilerHealth } from "./adapters/reconciler-health.js";
import { RootPlanner } from "./adapters/root-planner.js";
import { holdOutAgain, openRunSandboxes } from "./adapters/run-sandboxes.js";
import { sandboxLockfileRegenerator } from "./adapters/sandbox-lockfile-regenerator.js";
import { StoreRunLog } from "./adapters/store-run-log.js";
import { loadConflictPrompt } from "./conflict-prompt.js";
import { CriticScheduler } from "./critics/critic-scheduler.js";
import { GitCriticEvidence } from "./critics/git-critic-evidence.js";
import { type EngineSettings, RunEngine, type RunStart } from "./engine.js";
import { handoffGuard } from "./handoff-guard.js";
import { ModelJudge } from "./judge.js";
import type { SandboxRoute } from "./sandbox-routes.js";
import { GitTaskBranches } from "./task-branches.js";

/** Who longshot's own commits are by. */
export const longshotIdentity: Identity = { name: "longshot", email: "longshot@localhost" };

export interface OpenRunOptions {
  readonly repoPath: string;
  readonly config: Config;
  readonly runId: string;
  /** The build request for a new run; null to resume `runId` from its log. */
  readonly request: string | null;
  readonly store: Store;
  readonly model: LanguageModel;
  readonly sandboxes: SandboxProvider;
  /** Sandboxes for tasks with requirements (SANDBOX_ROUTES), tried in order. */
  readonly routes?: readonly SandboxRoute[];
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where run state lives: `<repo>/.git/longshot`. */
  readonly stateDir: string;
  /** The project's checks, offered to workers as `run_checks`. */
  readonly checks: readonly CheckCommand[];
  /** Default: the built-in agent. */
  readonly harness?: Harness;
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
  /** Destroys the merge gate's sandbox and deletes the run's sandboxes' repository; call after the run. */
  close(): Promise<void>;
}

/** Engine settings from the configuration. */
export function engineSettings(config: Config): EngineSettings {
  const worker = config.LLM_WORKER_MODEL ?? config.LLM_MODEL;
  return {
    maxWorkers: config.MAX_WORKERS,
    maxAttempts: config.TASK_MAX_ATTEMPTS,
    // A conflict is not the model's fault: with n workers racing on one file a task may lose up
    // to n - 1 rounds before it lands, so the allowance grows with the pool (4 to 10).
    maxConflictRetries: Math.min(10, Math.max(4, config.MAX_WORKERS)),
    workerTimeoutMs: config.WORKER_TIMEOUT * 1000,
    workerModel: worker,
    altWorkerModel: config.LLM_ALT_WORKER_MODEL ?? worker,
    fixerModel: config.LLM_FIXER_MODEL ?? worker,
    sandboxLimits: {
      wallTimeoutMs: config.WORKER_TIMEOUT * 1000,
      idleTimeoutMs: config.SANDBOX_IDLE_TIMEOUT * 1000,
      cpuCores: config.SANDBOX_CPU_CORES,
      memoryMb: config.SANDBOX_MEMORY_MB,
      network: config.SANDBOX_NETWORK,
      diskMb: config.SANDBOX_DISK_MB,
    },
    branchPrefix: config.GIT_BRANCH_PREFIX,
    maxWallTimeMs: config.MAX_WALL_TIME === undefined ? null : config.MAX_WALL_TIME * 1000,
    finalization: config.FINALIZATION_ENABLED,
    finalizationMaxAttempts: config.FINALIZATION_MAX_ATTEMPTS,
  };
}

/**
 * MERGE_GATE: each candidate (the integration head plus one or more tasks) must pass the build,
 * or the tests, in a sandbox of the run's provider before the branch moves; the queue batches
 * candidates and bisects a failing batch.
 */
function mergeGate(
  config: Config,
  git: Git,
  openSandbox: OpenCheckSandbox,
  check: "build" | "test",
): { gate: MergeGateOptions; close(): Promise<void> } {
  const workspace = createCheckWorkspace({ config, git, gitRunner: new ProcessGitRunner(), openSandbox });
  return {
    gate: {
      name: check,
      check: async (candidate, signal) =>
        (await workspace.run(candidate.commit, { only: check, signal })).green,
    },
    close: () => workspace.close(),
  };
}

/**
 * Wires the real parts into an engine for a new run (creating its integration branch at the
 * target branch's head) or for resuming one. The sandbox provider and model client are chosen
 * by the caller; everything else follows from the configuration.
 */
export async function openRun(options: OpenRunOptions): Promise<OpenedRun> {
  const { config, runId, repoPath, clock } = options;
  const git = new Git(repoPath);
  const branch = integrationBranch(config.GIT_BRANCH_PREFIX, runId);
  const hiddenPath = config.HIDDEN_TESTS === undefined ? null : normalizePath(config.HIDDEN_TESTS);
  const runner = new ProcessGitRunner();
  let hiddenSource: string | null = null;
  let start: RunStart | null = null;
  if (options.request !== null) {
    const targetRef = `refs/heads/${config.GIT_MAIN_BRANCH}`;
    const base = await git.resolveCommit(targetRef);
    if (base === null) {
      throw new UserError(
        `The target branch ${config.GIT_MAIN_BRANCH} does not exist in ${repoPath}; set GIT_MAIN_BRANCH to an existing branch.`,
      );
    }
    let startCommit = base;
    if (hiddenPath !== null) {
      const files = await git.listFiles(base);
      if (!files.some((file) => isInside(file, hiddenPath))) {
        throw new UserError(
          `HIDDEN_TESTS names ${hiddenPath}, which is not in ${config.GIT_MAIN_BRANCH}; commit the acceptance tests there or fix the path.`,
        );
      }
      // Every sandbox starts from the integration branch, so holding the tests out of its first
      // commit keeps them out of every sandbox, bundle, file list and diff.
      startCommit = await withoutHiddenTests(base, {
        git,
        runner,
        path: hiddenPath,
        identity: longshotIdentity,
      });
      hiddenSource = base;
    }
    const created = await git.updateRef(`refs/heads/${branch}`, startCommit, null);
    if (!created.ok) throw new UserError(`The branch ${branch} already exists; choose another run id.`);
    if (options.remote !== undefined) {
      const pushed = await git.push(options.remote, startCommit, `refs/heads/${branch}`, { expected: null });
      if (!pushed.ok) {
        throw new UserError(
          `Could not create ${branch} on ${options.remote} (${pushed.reason}); check access to GIT_REPO_URL.`,
        );
      }
    }
    start = {
      request: options.request,
      repo: repoPath,
      baseCommit: base,
      startCommit: startCommit === base ? null : startCommit,
      targetBranch: config.GIT_MAIN_BRANCH,
      integrationBranch: branch,
      settings: {
        maxWorkers: config.MAX_WORKERS,
        sandbox: options.sandboxes.name,
        harness: options.harness?.name ?? "builtin",
        model: config.LLM_MODEL,
        strategy: config.MERGE_STRATEGY,
        ...(hiddenPath === null ? {} : { hiddenTests: hiddenPath }),
        // Everything `resume` restores (see `runSettingNames`).
        config: runSettingsOf(config),
      },
    };
  } else if (hiddenPath !== null) {
    hiddenSource = options.store.getRun(runId)?.baseCommit ?? null;
    await holdOutAgain({
      git,
      runner,
      ref: `refs/heads/${branch}`,
      hiddenPath,
      identity: longshotIdentity,
    });
  }
  const hidden =
    hiddenPath !== null && hiddenSource !== null ? { path: hiddenPath, source: hiddenSource } : null;
  const log = new StoreRunLog(options.store, runId);
  const configured = engineSettings(config);
  const settings =
    options.sandboxNetwork === true
      ? { ...configured, sandboxLimits: { ...configured.sandboxLimits, network: true } }
      : configured;
  const harness =
    options.harness ??
    new BuiltinHarness({
      languageModel: options.model,
      clock,
      contextTokens: config.LLM_CONTEXT_TOKENS,
      author: longshotIdentity,
      checks: options.checks,
    });
  const landed = options.store.listTasks(runId, { state: "landed" }).map((task) => task.id);
  let emitToEngine: RunEngine | null = null;
  const runSandboxes = await openRunSandboxes({
    provider: options.sandboxes,
    git,
    runner,
    runId,
    dir: options.sandboxRepositories ?? join(options.stateDir, "sandbox-repositories"),
    root: runRoot(options, start),
    hiddenPath,
    branchPrefix: config.GIT_BRANCH_PREFIX,
    limits: settings.sandboxLimits,
  });
  const trackingRef = `refs/longshot/remote/${branch}`;
  const remoteTarget =
    options.remote === undefined
      ? null
      : new RemoteBranchTarget(git, { remote: options.remote, branch, trackingRef });
  const gate =
    config.MERGE_GATE === "none"
      ? undefined
      : mergeGate(config, git, runSandboxes.checkSandboxes("gate"), config.MERGE_GATE);
  const lander = new QueueLander({
    git,
    runId,
    integrationBranch: branch,
    strategy: config.MERGE_STRATEGY,
    committer: longshotIdentity,
    emit: (event) => emitToEngine?.append(event),
    landed,
    unionAdditions: config.MERGE_UNION_ADDITIONS,
    regenerateLockfiles: sandboxLockfileRegenerator({
      sandboxes: runSandboxes.provider,
      repoPath,
      runId,
      branchPrefix: config.GIT_BRANCH_PREFIX,
      limits: settings.sandboxLimits,
    }),
    ...(remoteTarget === null ? {} : { target: remoteTarget }),
    ...(gate === undefined ? {} : { gate: gate.gate }),
  });
  const resolver = config.MERGE_RESOLVE_HUNKS
    ? new HunkConflictResolver({
        git,
        runner,
        model: options.model,
        // Sandboxes made from the run's sandboxes' repository, like every other check's.
        sandboxes: runSandboxes.provider,
        checks: options.checks,
        repoPath,
        branchPrefix: config.GIT_BRANCH_PREFIX,
        limits: settings.sandboxLimits,
        identity: longshotIdentity,
        clock,
        prompt: await loadConflictPrompt(new AbortController().signal),
      })
    : null;
  const engine = await RunEngine.open({
    runId,
    repoPath,
    log,
    resolver,
    harness: new HarnessWorker(harness, {
      maxTurns: config.AGENT_MAX_TURNS,
      wallTimeMs: config.WORKER_TIMEOUT * 1000,
      stuckTimeoutMs: config.AGENT_STUCK_TIMEOUT * 1000,
      ...(config.TASK_MAX_TOKENS === undefined ? {} : { maxTokens: config.TASK_MAX_TOKENS }),
    }),
    sandboxes: runSandboxes.provider,
    lander,
    planner: (snapshot, emit) =>
      RootPlanner.open(
        {
          runId,
          request: options.request ?? options.store.getRun(runId)?.request ?? "",
          model: options.model,
          repo:
            hidden === null
              ? new GitRepoReader(repoPath)
              : new HiddenRepoReader(new GitRepoReader(repoPath), hidden.path),
          store: new JsonFilePlannerStateStore(join(options.stateDir, "runs", runId, "planner.json")),
          clock,
          branchPrefix: config.GIT_BRANCH_PREFIX,
          ...(options.plannerLimits === undefined ? {} : { limits: options.plannerLimits }),
        },
        snapshot,
        emit,
      ),
    health:
      options.health === "none"
        ? null
        : (host) =>
            new ReconcilerHealth(host, {
              config,
              git,
              integrationBranch: branch,
              openSandbox: runSandboxes.checkSandboxes("health"),
              clock,
              identity: longshotIdentity,
              hidden,
              ...(remoteTarget === null ? {} : { ref: trackingRef }),
            }),
    judge: options.judge === false ? null : new ModelJudge(options.model),
    attemptChecks: options.checks,
    critics:
      config.CRITIC_EVERY === 0
        ? null
        : (host) =>
            new CriticScheduler(host, {
              every: config.CRITIC_EVERY,
              kinds: config.CRITICS,
              threshold: config.CRITIC_THRESHOLD,
              model: roleModelsFromConfig(config).critic,
              maxAttempts: config.TASK_MAX_ATTEMPTS,
              evidence: new GitCriticEvidence({
                git,
                ...(config.BENCHMARK_COMMAND === undefined
                  ? {}
                  : { benchmarkCommand: config.BENCHMARK_COMMAND }),
              }),
              logger: options.logger,
            }),
    diff: (base, commit, signal) => git.diff(base, commit, { signal }),
    handoff: handoffGuard(git, {
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
    taskBranches: new GitTaskBranches(git, {
      namespace: `${config.GIT_BRANCH_PREFIX}${runId}/`,
      integrationBranch: branch,
    }),
  });
  emitToEngine = engine;
  const restoreHidden = async (): Promise<void> => {
    if (hidden === null) return;
    const ref = `refs/heads/${branch}`;
    const head = await git.resolveCommit(ref);
    if (head === null) return;
    const restored = await restoreHiddenTests(head, hidden.source, {
      git,
      runner,
      path: hidden.path,
      identity: longshotIdentity,
    });
    if (restored !== head) await git.updateRef(ref, restored, head);
  };
  const close = async (): Promise<void> => {
    await gate?.close();
    await runSandboxes.remove();
  };
  return { engine, start, integrationBranch: branch, git, restoreHidden, close };
}

/** The run's start commit: where its integration branch began (held-out tests already removed). */
function runRoot(options: OpenRunOptions, start: RunStart | null): string {
  if (start !== null) return start.startCommit ?? start.baseCommit;
  const first = options.store.events(options.runId, { types: ["run-start"] })[0];
  if (first?.type !== "run-start")
    throw new UserError(`Run ${options.runId} has no start in its log; it cannot be resumed.`);
  return first.startCommit ?? first.baseCommit;
}
