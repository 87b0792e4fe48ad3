import { join } from "node:path";
import type { CheckCommand } from "@longshot/agent";
import type { Clock, Config, Logger, NewEvent } from "@longshot/core";
import { ProcessGitRunner } from "@longshot/git";
import { type LanguageModel, roleModelsFromConfig } from "@longshot/llm";
import { type MergeGateOptions, RemoteBranchTarget } from "@longshot/merge-queue";
import { GitRepoReader, JsonFilePlannerStateStore, type PlannerLimitsInput } from "@longshot/planner";
import type { SandboxLimits } from "@longshot/sandbox";
import { HiddenRepoReader } from "./adapters/hidden-repo-reader.js";
import { HunkConflictResolver } from "./adapters/hunk-conflict-resolver.js";
import { QueueLander } from "./adapters/queue-lander.js";
import { createCheckWorkspace, ReconcilerHealth } from "./adapters/reconciler-health.js";
import { RootPlanner } from "./adapters/root-planner.js";
import type { RunSandboxes } from "./adapters/run-sandboxes.js";
import { sandboxLockfileRegenerator } from "./adapters/sandbox-lockfile-regenerator.js";
import { loadConflictPrompt } from "./conflict-prompt.js";
import { CriticScheduler } from "./critics/critic-scheduler.js";
import { GitCriticEvidence } from "./critics/git-critic-evidence.js";
import type { EngineDeps } from "./engine.js";
import { longshotIdentity, type RunSetup } from "./run-setup.js";

/** What every part of a run is built from: the run's setup, configuration and chosen providers. */
export interface RunPartsContext {
  readonly setup: RunSetup;
  readonly config: Config;
  readonly runId: string;
  readonly repoPath: string;
  readonly stateDir: string;
  readonly model: LanguageModel;
  readonly sandboxes: RunSandboxes;
  readonly limits: SandboxLimits;
  readonly checks: readonly CheckCommand[];
  readonly clock: Clock;
  readonly logger: Logger;
  readonly remote?: string;
}

/** The ref the queue and health read when the integration branch lives on a remote. */
export function trackingRefOf(branch: string): string {
  return `refs/longshot/remote/${branch}`;
}

/**
 * MERGE_GATE: each candidate (the integration head plus one or more tasks) must pass the build,
 * or the tests, in a sandbox of the run's provider before the branch moves; the queue batches
 * candidates and bisects a failing batch. Null for MERGE_GATE=none.
 */
export function createMergeGate(
  context: RunPartsContext,
): { readonly gate: MergeGateOptions; close(): Promise<void> } | null {
  const { config } = context;
  const check = config.MERGE_GATE;
  if (check === "none") return null;
  const workspace = createCheckWorkspace({
    config,
    git: context.setup.git,
    gitRunner: new ProcessGitRunner(),
    openSandbox: context.sandboxes.checkSandboxes("gate"),
  });
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
 * The merge queue behind the engine, landing on the integration branch (pushed with a lease
 * when it lives on a remote). `emit` receives the queue's own events once the engine exists.
 */
export function createLander(
  context: RunPartsContext,
  gate: MergeGateOptions | null,
  emit: (event: NewEvent) => void,
): QueueLander {
  const { config, setup, runId } = context;
  const branch = setup.integrationBranch;
  const target =
    context.remote === undefined
      ? null
      : new RemoteBranchTarget(setup.git, {
          remote: context.remote,
          branch,
          trackingRef: trackingRefOf(branch),
        });
  return new QueueLander({
    git: setup.git,
    runId,
    integrationBranch: branch,
    strategy: config.MERGE_STRATEGY,
    committer: longshotIdentity,
    emit,
    landed: setup.landed,
    unionAdditions: config.MERGE_UNION_ADDITIONS,
    regenerateLockfiles: sandboxLockfileRegenerator({
      sandboxes: context.sandboxes.provider,
      repoPath: context.repoPath,
      runId,
      branchPrefix: config.GIT_BRANCH_PREFIX,
      limits: context.limits,
    }),
    ...(target === null ? {} : { target }),
    ...(gate === null ? {} : { gate }),
  });
}

/** MERGE_RESOLVE_HUNKS: conflicts resolved at hunk size by the model before a task runs again. */
export async function createConflictResolver(context: RunPartsContext): Promise<HunkConflictResolver | null> {
  const { config, setup } = context;
  if (!config.MERGE_RESOLVE_HUNKS) return null;
  return new HunkConflictResolver({
    git: setup.git,
    runner: setup.runner,
    model: context.model,
    // Sandboxes made from the run's sandboxes' repository, like every other check's.
    sandboxes: context.sandboxes.provider,
    checks: context.checks,
    repoPath: context.repoPath,
    branchPrefix: config.GIT_BRANCH_PREFIX,
    limits: context.limits,
    identity: longshotIdentity,
    clock: context.clock,
    prompt: await loadConflictPrompt(new AbortController().signal),
  });
}

/** The root planner, reading the repository without the held-out tests. */
export function createPlanner(
  context: RunPartsContext,
  plannerLimits: PlannerLimitsInput | undefined,
): EngineDeps["planner"] {
  const { config, setup, runId, repoPath } = context;
  const reader = new GitRepoReader(repoPath);
  return (snapshot, emit) =>
    RootPlanner.open(
      {
        runId,
        request: setup.request,
        model: context.model,
        repo: setup.hidden === null ? reader : new HiddenRepoReader(reader, setup.hidden.path),
        store: new JsonFilePlannerStateStore(join(context.stateDir, "runs", runId, "planner.json")),
        clock: context.clock,
        branchPrefix: config.GIT_BRANCH_PREFIX,
        ...(plannerLimits === undefined ? {} : { limits: plannerLimits }),
      },
      snapshot,
      emit,
    );
}

/** Health checks and fix tasks by the reconciler, on the integration branch's head. */
export function createHealth(context: RunPartsContext): NonNullable<EngineDeps["health"]> {
  const { config, setup } = context;
  return (host) =>
    new ReconcilerHealth(host, {
      config,
      git: setup.git,
      integrationBranch: setup.integrationBranch,
      openSandbox: context.sandboxes.checkSandboxes("health"),
      clock: context.clock,
      identity: longshotIdentity,
      hidden: setup.hidden,
      ...(context.remote === undefined ? {} : { ref: trackingRefOf(setup.integrationBranch) }),
    });
}

/** CRITIC_EVERY: read-only critic rounds every N landings and at finalization; null for 0. */
export function createCritics(context: RunPartsContext): NonNullable<EngineDeps["critics"]> | null {
  const { config } = context;
  if (config.CRITIC_EVERY === 0) return null;
  return (host) =>
    new CriticScheduler(host, {
      every: config.CRITIC_EVERY,
      kinds: config.CRITICS,
      threshold: config.CRITIC_THRESHOLD,
      model: roleModelsFromConfig(config).critic,
      maxAttempts: config.TASK_MAX_ATTEMPTS,
      evidence: new GitCriticEvidence({
        git: context.setup.git,
        ...(config.BENCHMARK_COMMAND === undefined ? {} : { benchmarkCommand: config.BENCHMARK_COMMAND }),
      }),
      logger: context.logger,
    });
}
