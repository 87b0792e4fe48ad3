import {
  type Clock,
  type EmitEvent,
  type HealthCheck,
  InternalError,
  isTerminal,
  messageOf,
} from "@longshot/core";
import type { Git, GitRunner, Identity } from "@longshot/git";
import { findCulprit, type Landing } from "./bisect.js";
import type { CheckRun, CheckWorkspace } from "./check-workspace.js";
import { extractFailures } from "./extract-failures.js";
import type { Failure } from "./failure.js";
import { type FixTaskRequest, fixTaskSpec, type TaskSink } from "./fix-task.js";
import {
  type Action,
  type Culprit,
  type Desired,
  type FixTaskRecord,
  type Observed,
  reconcile,
  type Sweep,
} from "./reconcile.js";
import { revertLanding } from "./revert-landing.js";
import { inspectTestCounts } from "./tamper-guard.js";

/** What the engine tells the reconciler about the rest of the run. */
export interface RunProgress {
  /** Every task, fix tasks included, is in a terminal state and the merge queue is empty. */
  settled(): boolean;
  /** Tasks whose finished work has not landed on the integration branch. */
  unmerged(): readonly string[];
  /** Puts unmerged branches back into the merge queue. */
  retryUnmerged(taskIds: readonly string[], signal?: AbortSignal): Promise<void>;
}

export interface ReconcilerOptions {
  readonly git: Git;
  readonly gitRunner: GitRunner;
  /** Full ref of the integration branch, such as `refs/heads/longshot/<run>/integration`. */
  readonly ref: string;
  readonly workspace: CheckWorkspace;
  readonly tasks: TaskSink;
  readonly progress: RunProgress;
  readonly emit: EmitEvent;
  readonly clock: Clock;
  /** Author of revert commits. */
  readonly identity: Identity;
  /** HEALTH_CHECK_INTERVAL in milliseconds. */
  readonly intervalMs: number;
  /** Fix tasks per fingerprint before the culprit is reverted; default 2. */
  readonly maxFixAttempts?: number;
  /** FINALIZATION_MAX_ATTEMPTS. */
  readonly finalizationMaxAttempts: number;
  /** How often `finalize` looks at the run while fix tasks work; default 1 s. */
  readonly pollMs?: number;
  /** On resume: landings so far, fix tasks already created, the last green commit. */
  readonly landings?: readonly Landing[];
  readonly fixes?: readonly { readonly taskId: string; readonly fingerprints: readonly string[] }[];
  readonly lastGreen?: string | null;
}

/** How finalization ended; the engine turns it into the run's status and exit code. */
export type FinalizationResult =
  | { readonly status: "green"; readonly commit: string; readonly rounds: number }
  | {
      readonly status: "red";
      readonly commit: string;
      readonly reason: string;
      readonly failures: readonly Failure[];
      readonly unmerged: readonly string[];
      readonly rounds: number;
    };

/** A snapshot for dashboards and tests. */
export interface ReconcilerState {
  readonly lastSweep: Sweep | null;
  readonly lastGreen: string | null;
  readonly fixes: readonly FixTaskRecord[];
  readonly culprits: ReadonlyMap<string, Culprit | null>;
  readonly reverted: ReadonlySet<string>;
  readonly sweeps: number;
}

/**
 * The thin loop around `reconcile`: observes the integration branch, the fix tasks and the run,
 * asks `reconcile` what to do and does it. Passes are serialized, so two sweeps never run at
 * once, and merge notifications arriving during a sweep coalesce into one more sweep of the
 * newest head. Emits `health-check`, `fix-create` and `merge-revert` events.
 */
export class Reconciler {
  readonly #options: ReconcilerOptions;
  readonly #desired: Desired;
  readonly #landings: Landing[];
  readonly #fixes: { taskId: string; fingerprints: readonly string[]; closedAfterSweep: number | null }[];
  readonly #culprits = new Map<string, Culprit | null>();
  readonly #reverted = new Set<string>();
  readonly #bisectCache = new Map<string, CheckRun>();
  #lastSweep: Sweep | null = null;
  #lastChecks: readonly HealthCheck[] = [];
  #lastGreen: string | null;
  #sweeps = 0;
  #requested = false;
  #finalizing = false;
  #round = 0;
  #final: FinalizationResult | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #wake: (() => void) | null = null;
  #woken = false;

  constructor(options: ReconcilerOptions) {
    this.#options = options;
    this.#desired = {
      maxFixAttempts: options.maxFixAttempts ?? 2,
      finalizationMaxAttempts: options.finalizationMaxAttempts,
    };
    this.#landings = [...(options.landings ?? [])];
    this.#fixes = (options.fixes ?? []).map((fix) => ({ ...fix, closedAfterSweep: null }));
    this.#lastGreen = options.lastGreen ?? null;
  }

  /** A task landed: remember it for bisection and sweep the new head soon (coalesced). */
  notifyMerge(landing?: Landing): void {
    if (landing !== undefined) this.#landings.push(landing);
    this.wake();
  }

  /** Ask for a sweep even if the head did not move (a flaky check, a changed environment). */
  requestSweep(): void {
    this.#requested = true;
    this.wake();
  }

  /** Something changed (a task finished); look again now instead of at the next interval. */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  state(): ReconcilerState {
    return {
      lastSweep: this.#lastSweep,
      lastGreen: this.#lastGreen,
      fixes: this.#records(),
      culprits: new Map(this.#culprits),
      reverted: new Set(this.#reverted),
      sweeps: this.#sweeps,
    };
  }

  /**
   * One pass: observe, reconcile, act. Passes never overlap (a second call waits for the first).
   * Returns the actions taken. Throws AbortError when `signal` aborts.
   */
  step(signal?: AbortSignal): Promise<Action[]> {
    const next = this.#queue.then(() => this.#pass(signal));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Keeps the branch green until `signal` aborts: a pass on every wake-up (merges, task changes)
   * and at least every `intervalMs`; passes repeat while they still find something to do.
   * Resolves when aborted.
   */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const actions = await this.step(signal);
        if (actions.length > 0 && !signal.aborted) continue;
      } catch (error) {
        if (signal.aborted) return;
        this.#log("error", `reconciler pass failed: ${messageOf(error)}`);
      }
      await this.#sleep(this.#options.intervalMs, signal);
    }
  }

  /**
   * Finalization, once every task is done: sweep, fix, revert, retry unmerged branches, round
   * after round up to `finalizationMaxAttempts`, then report green or red honestly. Waits (polling
   * the run) while fix tasks and retries work. Throws AbortError when `signal` aborts.
   */
  async finalize(signal?: AbortSignal): Promise<FinalizationResult> {
    this.#finalizing = true;
    this.#final = null;
    for (;;) {
      const actions = await this.step(signal);
      if (this.#final !== null) return this.#final;
      if (actions.length === 0) await this.#sleep(this.#options.pollMs ?? 1000, signal);
    }
  }

  async #pass(signal: AbortSignal | undefined): Promise<Action[]> {
    const observed = await this.#observe(signal);
    const actions = reconcile(this.#desired, observed);
    for (const action of actions) {
      await this.#act(action, signal);
      if (this.#final !== null) break;
    }
    return actions;
  }

  async #observe(signal: AbortSignal | undefined): Promise<Observed> {
    for (const fix of this.#fixes) {
      const state = this.#options.tasks.taskState(fix.taskId);
      if (fix.closedAfterSweep === null && (state === null || isTerminal(state)))
        fix.closedAfterSweep = this.#sweeps;
    }
    const { progress } = this.#options;
    const settled = progress.settled();
    const unmerged = progress.unmerged();
    const head = await this.#head(signal);
    return {
      head,
      sweepDue: this.#requested || this.#lastSweep?.commit !== head,
      lastSweep: this.#lastSweep,
      lastGreen: this.#lastGreen,
      fixes: this.#records(),
      culprits: this.#culprits,
      reverted: this.#reverted,
      finalizing: this.#finalizing,
      settled,
      unmerged,
      finalizationRound: this.#round,
    };
  }

  async #act(action: Action, signal: AbortSignal | undefined): Promise<void> {
    switch (action.kind) {
      case "run-sweep":
        await this.#sweep(signal);
        return;
      case "bisect":
        await this.#bisect(action, signal);
        return;
      case "create-fix-task":
        await this.#createFix(action, signal);
        return;
      case "revert-culprit":
        await this.#revert(action.fingerprint, action.culprit, signal);
        return;
      case "retry-unmerged":
        await this.#options.progress.retryUnmerged(action.taskIds, signal);
        return;
      case "start-finalization-round":
        this.#round = action.round;
        this.#log("info", `finalization round ${action.round} of ${this.#desired.finalizationMaxAttempts}`);
        return;
      case "finalize-green":
        this.#final = { status: "green", commit: action.commit, rounds: this.#round };
        this.#log("info", `finalization: ${action.commit.slice(0, 12)} is green`);
        return;
      case "finalize-red":
        this.#final = {
          status: "red",
          commit: action.commit,
          reason: action.reason,
          failures: action.failures,
          unmerged: action.unmerged,
          rounds: this.#round,
        };
        this.#log("warn", `finalization: red: ${action.reason}`);
        return;
    }
  }

  async #sweep(signal: AbortSignal | undefined): Promise<void> {
    this.#requested = false;
    const head = await this.#head(signal);
    this.#sweeps += 1;
    const id = this.#sweeps;
    const result = await this.#options.workspace.run(head, signal === undefined ? {} : { signal });
    const { checks, failures } = this.#withTestCountGuard(result);
    const green = checks.every((check) => check.ok);
    this.#lastSweep = { id, commit: head, green, failures };
    this.#lastChecks = checks;
    if (green) this.#lastGreen = head;
    this.#options.emit({ type: "health-check", commit: head, checks: [...checks], green });
  }

  /** A test check that ran tests before and none now fails, whatever its exit code. */
  #withTestCountGuard(result: CheckRun): { checks: HealthCheck[]; failures: Failure[] } {
    const before = this.#lastChecks.find((check) => check.name === "test")?.counts ?? null;
    const checks = result.checks.map((check) => {
      if (check.name !== "test" || !check.ok) return check;
      const finding = inspectTestCounts(before, check.counts);
      return finding === null ? check : { ...check, ok: false, excerpt: finding.detail };
    });
    const extra = checks
      .filter((check, index) => check !== result.checks[index])
      .flatMap((check) => extractFailures(check, `error: ${check.excerpt}`));
    return { checks, failures: [...result.failures, ...extra] };
  }

  async #bisect(action: Extract<Action, { kind: "bisect" }>, signal: AbortSignal | undefined): Promise<void> {
    const { workspace } = this.#options;
    const isBad = async (commit: string): Promise<boolean> => {
      const key = `${commit}:${action.check}`;
      let run = this.#bisectCache.get(key);
      if (run === undefined) {
        run = await workspace.run(commit, {
          only: action.check,
          ...(signal === undefined ? {} : { signal }),
        });
        this.#bisectCache.set(key, run);
      }
      const prerequisiteFailed = run.checks.some((check) => !check.ok && check.name !== action.check);
      return prerequisiteFailed || run.failures.some((failure) => failure.fingerprint === action.fingerprint);
    };
    const culprit = await findCulprit({
      runner: this.#options.gitRunner,
      repoPath: this.#options.git.path,
      good: action.good,
      bad: action.bad,
      landings: this.#landings,
      isBad,
      signal,
    });
    this.#culprits.set(action.fingerprint, culprit);
    const found =
      culprit === null
        ? "no culprit found"
        : `culprit ${culprit.sha.slice(0, 12)}${culprit.taskId === null ? "" : ` (task ${culprit.taskId})`}`;
    this.#log("info", `bisect ${action.fingerprint}: ${found}`, culprit?.taskId ?? null);
  }

  async #createFix(
    action: Extract<Action, { kind: "create-fix-task" }>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const failures = [action.failure, ...action.related] as const;
    const culpritFiles =
      action.culprit === null
        ? []
        : (
            await this.#options.git.diffNameStatus(
              action.culprit.previous,
              action.culprit.sha,
              signal === undefined ? {} : { signal },
            )
          ).map((entry) => entry.path);
    const request: FixTaskRequest = {
      spec: fixTaskSpec(failures, action.culprit, culpritFiles, action.attempt),
      fingerprint: action.failure.fingerprint,
      fingerprints: failures.map((failure) => failure.fingerprint),
      culprit: action.culprit,
      failures,
      attempt: action.attempt,
    };
    const taskId = await this.#options.tasks.addFixTask(request, signal);
    this.#fixes.push({ taskId, fingerprints: request.fingerprints, closedAfterSweep: null });
    this.#options.emit({
      type: "fix-create",
      taskId,
      fingerprint: request.fingerprint,
      culprit: action.culprit?.sha ?? null,
    });
  }

  async #revert(fingerprint: string, culprit: Culprit, signal: AbortSignal | undefined): Promise<void> {
    const reason = `Fix attempts for ${fingerprint} are exhausted; reverting the landing that broke it so the branch is green again.`;
    const outcome = await revertLanding({
      git: this.#options.git,
      runner: this.#options.gitRunner,
      ref: this.#options.ref,
      culprit,
      identity: this.#options.identity,
      reason,
      worktree: this.#options.workspace,
      signal,
    });
    if (outcome.kind === "moved") return;
    this.#reverted.add(culprit.sha);
    if (outcome.kind === "conflict") {
      this.#log(
        "warn",
        `cannot revert ${culprit.sha.slice(0, 12)}: later work changed ${outcome.files.join(", ")}`,
        culprit.taskId,
      );
      return;
    }
    this.#options.emit({
      type: "merge-revert",
      taskId: culprit.taskId ?? "",
      reverted: culprit.sha,
      sha: outcome.sha,
      reason,
    });
  }

  #records(): FixTaskRecord[] {
    return this.#fixes.map((fix) => ({
      taskId: fix.taskId,
      fingerprints: fix.fingerprints,
      open: fix.closedAfterSweep === null,
      closedAfterSweep: fix.closedAfterSweep,
    }));
  }

  async #head(signal: AbortSignal | undefined): Promise<string> {
    const head = await this.#options.git.revParse(this.#options.ref, signal === undefined ? {} : { signal });
    if (head === null) throw new InternalError(`The integration branch ${this.#options.ref} does not exist.`);
    return head;
  }

  #log(level: "info" | "warn" | "error", message: string, taskId: string | null = null): void {
    this.#options.emit({ type: "log", level, message: `reconciler: ${message}`, taskId });
  }

  async #sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.#woken || signal?.aborted === true) {
      this.#woken = false;
      return;
    }
    const woken = new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      await Promise.race([this.#options.clock.sleep(ms, controller.signal).catch(() => undefined), woken]);
    } finally {
      controller.abort();
      signal?.removeEventListener("abort", onAbort);
      this.#wake = null;
      this.#woken = false;
    }
  }
}
