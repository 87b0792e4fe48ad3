import { join } from "node:path";
import { BuiltinHarness, type CheckCommand, type Harness } from "@longshot/agent";
import { type Clock, type Config, integrationBranch, type Logger, UserError } from "@longshot/core";
import { Git, type Identity, ProcessGitRunner } from "@longshot/git";
import type { LanguageModel } from "@longshot/llm";
import { type MergeGateOptions, RemoteBranchTarget } from "@longshot/merge-queue";
import { GitRepoReader, JsonFilePlannerStateStore, type PlannerLimitsInput } from "@longshot/planner";
import { isInside, normalizePath, restoreHiddenTests, withoutHiddenTests } from "@longshot/reconciler";
import type { SandboxProvider } from "@longshot/sandbox";
import type { Store } from "@longshot/store";
import { HarnessWorker } from "./adapters/harness-worker.js";
import { HiddenRepoReader } from "./adapters/hidden-repo-reader.js";
import { HunkConflictResolver } from "./adapters/hunk-conflict-resolver.js";
import { QueueLander } from "./adapters/queue-lander.js";
import { createCheckWorkspace, ReconcilerHealth } from "./adapters/reconciler-health.js";
import { RootPlanner } from "./adapters/root-planner.js";
import { sandboxLockfileRegenerator } from "./adapters/sandbox-lockfile-regenerator.js";
import { StoreRunLog } from "./adapters/store-run-log.js";
import { loadConflictPrompt } from "./conflict-prompt.js";
import { type EngineSettings, RunEngine, type RunStart } from "./engine.js";
import { ModelJudge } from "./judge.js";

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
  /** PATH of check commands and sandboxes: the project's toolchain. */
  readonly toolPath: string;
  /** Where the reconciler keeps its checkout; default under the state directory. */
  readonly checksDir?: string;
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
    },
    branchPrefix: config.GIT_BRANCH_PREFIX,
    maxWallTimeMs: config.MAX_WALL_TIME === undefined ? null : config.MAX_WALL_TIME * 1000,
    finalization: config.FINALIZATION_ENABLED,
    finalizationMaxAttempts: config.FINALIZATION_MAX_ATTEMPTS,
  };
}

/**
 * MERGE_GATE: each candidate (the integration head plus one or more tasks) must pass the build,
 * or the tests, in a checkout of its own before the branch moves; the queue batches candidates
 * and bisects a failing batch.
 */
function mergeGate(
  config: Config,
  git: Git,
  dir: string,
  path: string,
  clock: Clock,
  check: "build" | "test",
): MergeGateOptions {
  const workspace = createCheckWorkspace({
    config,
    git,
    gitRunner: new ProcessGitRunner(),
    dir,
    path,
    clock,
  });
  return {
    name: check,
    check: async (candidate, signal) =>
      (await workspace.run(candidate.commit, { only: check, signal })).green,
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
      },
    };
  } else if (hiddenPath !== null) {
    hiddenSource = options.store.getRun(runId)?.baseCommit ?? null;
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
  const checksRoot = options.checksDir ?? join(options.stateDir, "runs", runId, "checks");
  const trackingRef = `refs/longshot/remote/${branch}`;
  const remoteTarget =
    options.remote === undefined
      ? null
      : new RemoteBranchTarget(git, { remote: options.remote, branch, trackingRef });
  const gate =
    config.MERGE_GATE === "none"
      ? undefined
      : mergeGate(config, git, join(checksRoot, "gate"), options.toolPath, clock, config.MERGE_GATE);
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
      sandboxes: options.sandboxes,
      repoPath,
      runId,
      branchPrefix: config.GIT_BRANCH_PREFIX,
      limits: settings.sandboxLimits,
    }),
    ...(remoteTarget === null ? {} : { target: remoteTarget }),
    ...(gate === undefined ? {} : { gate }),
  });
  const resolver = config.MERGE_RESOLVE_HUNKS
    ? new HunkConflictResolver({
        git,
        runner,
        model: options.model,
        sandboxes: options.sandboxes,
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
    sandboxes: options.sandboxes,
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
              workdir: join(checksRoot, "health"),
              path: options.toolPath,
              clock,
              identity: longshotIdentity,
              hidden,
              ...(remoteTarget === null ? {} : { ref: trackingRef }),
            }),
    judge: options.judge === false ? null : new ModelJudge(options.model),
    diff: (base, commit, signal) => git.diff(base, commit, { signal }),
    clock,
    logger: options.logger,
    settings,
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
  return { engine, start, integrationBranch: branch, git, restoreHidden };
}
