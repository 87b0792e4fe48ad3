import {
  type Clock,
  type Config,
  type EmitEvent,
  isTerminal,
  messageOf,
  type Task,
  type TaskState,
} from "@longshot/core";
import { type Git, type GitRunner, type Identity, ProcessGitRunner } from "@longshot/git";
import {
  CheckWorkspace,
  type FixTaskRequest,
  inspectDiff,
  isInside,
  type OpenCheckSandbox,
  Reconciler,
  type TaskSink as ReconcilerTaskSink,
  type RunProgress,
  restoreHiddenTests,
} from "@longshot/reconciler";
import type { FinalizeResult, FixRecheck, HealthPort } from "../ports.js";
import type { RunState } from "../run-state.js";
import { unfinishedSummary, workLanded } from "./covering-tasks.js";

/** What the reconciler needs from the engine. */
export interface HealthHost {
  readonly state: RunState;
  addTask(spec: FixTaskRequest["spec"], kind: Task["kind"], options: { fingerprint?: string }): Task;
  transition(taskId: string, to: TaskState, reason: string): void;
  /** A landed task's work was reverted: it leaves `landed` and goes back to the planner. */
  markReverted(taskId: string, reason: string): void;
  /** News for the planner about the run's progress (failures that wait for planned work). */
  reportProgress(summary: string): void;
  append: EmitEvent;
}

export interface ReconcilerHealthOptions {
  readonly config: Config;
  readonly git: Git;
  readonly integrationBranch: string;
  /** Sandboxes of the run's provider the checks run in; nothing runs on the host. */
  readonly openSandbox: OpenCheckSandbox;
  readonly clock: Clock;
  readonly identity: Identity;
  readonly gitRunner?: GitRunner;
  /** Acceptance tests held out of every sandbox, run only here on the integration tree. */
  readonly hidden?: { readonly path: string; readonly source: string } | null;
  /** Ref the sweeps read; default `refs/heads/<integrationBranch>` (a tracking ref for a remote). */
  readonly ref?: string;
}

/**
 * The project's checks (configured commands win, the rest detected), run in sandboxes of the
 * run's provider: a warm one moved from commit to commit, and a fresh one per run of the
 * held-out tests. Nothing of the orchestrator (keys, files, network) reaches them.
 */
export function createCheckWorkspace(options: {
  readonly config: Config;
  readonly git: Git;
  readonly gitRunner: GitRunner;
  readonly openSandbox: OpenCheckSandbox;
  readonly hidden?: { readonly path: string; readonly source: string } | null;
}): CheckWorkspace {
  const { config } = options;
  return new CheckWorkspace({
    git: options.git,
    gitRunner: options.gitRunner,
    openSandbox: options.openSandbox,
    overrides: {
      ...(config.INSTALL_COMMAND === undefined ? {} : { install: config.INSTALL_COMMAND }),
      ...(config.BUILD_COMMAND === undefined ? {} : { build: config.BUILD_COMMAND }),
      ...(config.TYPECHECK_COMMAND === undefined ? {} : { typecheck: config.TYPECHECK_COMMAND }),
      ...(config.LINT_COMMAND === undefined ? {} : { lint: config.LINT_COMMAND }),
      ...(config.TEST_COMMAND === undefined ? {} : { test: config.TEST_COMMAND }),
    },
    hidden: options.hidden ?? null,
  });
}

/**
 * The reconciler as the engine's health port: periodic and post-merge sweeps of the integration
 * branch in a checkout of its own, fix tasks through the engine, bisection and reverts, and the
 * tamper guard on each task's diff.
 */
export class ReconcilerHealth implements HealthPort {
  readonly #reconciler: Reconciler;
  readonly #workspace: CheckWorkspace;
  readonly #host: HealthHost;
  readonly #git: Git;
  readonly #gitRunner: GitRunner;
  readonly #identity: Identity;
  readonly #hidden: { readonly path: string; readonly source: string } | null;
  /** The local branch the engine lands on (the reconciler may read a remote's tracking ref). */
  readonly #branchRef: string;
  readonly #ref: string;
  #running: Promise<void> | null = null;
  readonly #stop = new AbortController();

  constructor(host: HealthHost, options: ReconcilerHealthOptions) {
    this.#host = host;
    this.#git = options.git;
    this.#hidden = options.hidden ?? null;
    this.#identity = options.identity;
    this.#branchRef = `refs/heads/${options.integrationBranch}`;
    this.#ref = options.ref ?? this.#branchRef;
    const { config, clock } = options;
    const gitRunner = options.gitRunner ?? new ProcessGitRunner();
    this.#gitRunner = gitRunner;
    const workspace = createCheckWorkspace({
      config,
      git: options.git,
      gitRunner,
      openSandbox: options.openSandbox,
      hidden: options.hidden ?? null,
    });
    this.#workspace = workspace;
    const tasks: ReconcilerTaskSink = {
      addFixTask: async (request) =>
        host.addTask(request.spec, "fix", { fingerprint: request.fingerprint }).id,
      taskState: (taskId) => host.state.tasks.get(taskId)?.task.state ?? null,
    };
    const progress: RunProgress = {
      settled: () => [...host.state.tasks.values()].every((view) => isTerminal(view.task.state)),
      unmerged: () =>
        [...host.state.tasks.values()]
          .filter(
            (view) =>
              view.task.state === "failed" && view.attempts.some((attempt) => attempt.commit !== null),
          )
          .map((view) => view.task.id),
      workLanded: (files) => workLanded(host.state, files),
      reportUnfinished: (failures) => host.reportProgress(unfinishedSummary(host.state, failures)),
      retryUnmerged: async (taskIds) => {
        for (const taskId of taskIds) {
          if (host.state.tasks.get(taskId)?.task.state === "failed") {
            host.transition(taskId, "ready", "finalization retries unmerged work");
          }
        }
      },
    };
    const landings = [...host.state.tasks.values()].flatMap((view) =>
      view.landedSha ? [{ taskId: view.task.id, sha: view.landedSha, previous: "" }] : [],
    );
    this.#reconciler = new Reconciler({
      git: options.git,
      gitRunner,
      ref: options.ref ?? `refs/heads/${options.integrationBranch}`,
      workspace,
      tasks,
      progress,
      emit: (event) => {
        host.append(event);
        // The revert is recorded first; then the task it undid is no longer landed.
        if (event.type === "merge-revert" && event.taskId !== "")
          host.markReverted(event.taskId, event.reason);
      },
      clock,
      identity: options.identity,
      intervalMs: config.HEALTH_CHECK_INTERVAL * 1000,
      finalizationMaxAttempts: config.FINALIZATION_MAX_ATTEMPTS,
      landings: landings.filter((landing) => landing.previous !== ""),
      pollMs: 250,
    });
  }

  start(signal: AbortSignal): void {
    if (this.#running) return;
    const stop = AbortSignal.any([signal, this.#stop.signal]);
    this.#running = this.#reconciler.run(stop).catch(() => undefined);
  }

  notifyLanded(landing: { readonly taskId: string; readonly sha: string; readonly previous: string }): void {
    this.#reconciler.notifyMerge(landing);
  }

  async finalize(signal: AbortSignal): Promise<FinalizeResult> {
    const result = await this.#reconciler.finalize(signal);
    if (result.status === "red") {
      const unmerged = result.unmerged.length > 0 ? `; unmerged: ${result.unmerged.join(", ")}` : "";
      return { green: false, reason: `${result.reason}${unmerged}`, commit: result.commit };
    }
    if (this.#hidden === null) {
      return {
        green: true,
        reason: `every check passes at ${result.commit.slice(0, 10)}`,
        commit: result.commit,
      };
    }
    return this.#withHiddenTests(result.commit, signal);
  }

  /**
   * The target branch gets the held-out tests back, so the commit that holds them is the one the
   * run vouches for: put them back, prove the result differs from the checked commit by those
   * files alone, and only then move the integration branch to it.
   */
  async #withHiddenTests(commit: string, signal: AbortSignal): Promise<FinalizeResult> {
    const hidden = this.#hidden!;
    const restored = await restoreHiddenTests(commit, hidden.source, {
      git: this.#git,
      runner: this.#gitRunner,
      path: hidden.path,
      identity: this.#identity,
      signal,
    });
    const short = restored.slice(0, 10);
    // No sandbox may start from a commit that holds the held-out tests, and none needs to: the
    // checks that passed at `commit` ran with them copied in (the acceptance sandbox). What is
    // left to prove is that `restored` is exactly `commit` plus those files.
    const changed = await this.#git.diffNameStatus(commit, restored, { signal });
    const stray = changed.map((entry) => entry.path).filter((path) => !isInside(path, hidden.path));
    if (stray.length > 0) {
      return {
        green: false,
        reason: `putting the held-out tests back at ${short} also changed ${stray.join(", ")}`,
        commit: restored,
      };
    }
    // A remote's branch is pushed by the caller; a local one moves here, only from `commit`.
    if (restored !== commit && this.#ref === this.#branchRef) {
      const moved = await this.#git.updateRef(this.#branchRef, restored, commit, { signal });
      if (!moved.ok) {
        return {
          green: false,
          reason: `the integration branch moved while the held-out tests were being put back (expected ${commit.slice(0, 10)})`,
          commit: restored,
        };
      }
    }
    return {
      green: true,
      reason: `every check passes at ${short}, held-out tests included`,
      commit: restored,
    };
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running;
    await this.#workspace.close();
  }

  async recheckFix(task: Task, signal: AbortSignal): Promise<FixRecheck> {
    const found = await this.#reconciler.recheck(task.id, task.fingerprint, signal);
    const output = [...new Set(found.failing.map((failure) => failure.excerpt))].join("\n\n");
    return {
      commit: found.commit,
      failing: found.failing.length > 0 || found.unknown,
      output: found.unknown && output === "" ? "an earlier check fails, so this one did not run" : output,
    };
  }

  async tamperFindings(
    _task: Task,
    base: string,
    commit: string,
    signal: AbortSignal,
  ): Promise<readonly string[]> {
    try {
      const diff = await this.#git.diff(base, commit, { signal });
      return inspectDiff(diff, { hiddenPath: this.#hidden?.path })
        .filter((finding) => finding.severity === "reject")
        .map(
          (finding) =>
            `${finding.file ?? "?"}${finding.line === null ? "" : `:${finding.line}`}: ${finding.detail}`,
        );
    } catch (error) {
      this.#host.append({
        type: "log",
        level: "warn",
        message: `tamper guard skipped: ${messageOf(error)}`,
        taskId: null,
      });
      return [];
    }
  }
}
