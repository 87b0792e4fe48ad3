import { type CheckName, type HealthCheck, InternalError, isTerminal, messageOf } from "@longshot/core";
import { findCulprit, type Landing } from "./bisect.js";
import type { CheckRun } from "./check-workspace.js";
import type { Failure } from "./failure.js";
import { concealHidden } from "./hidden-tests.js";
import { EphemeralWorktree } from "./internal/ephemeral-worktree.js";
import { fixRequest } from "./internal/fix-request.js";
import { guardTestCounts } from "./internal/test-count-guard.js";
import { Wakeup } from "./internal/wakeup.js";
import {
  type Action,
  type Culprit,
  type Desired,
  type FixTaskRecord,
  type Observed,
  reconcile,
  type Sweep,
} from "./reconcile.js";
import type { FinalizationResult, ReconcilerOptions, ReconcilerState } from "./reconciler-options.js";
import { revertLanding } from "./revert-landing.js";

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
  /** Failures of the last sweep whose check passed at an earlier commit with their file in it. */
  #passedBefore: ReadonlySet<string> = new Set();
  /** Newest swept commit at which each check passed. */
  readonly #passedAt = new Map<CheckName, string>();
  readonly #files = new Map<string, Promise<ReadonlySet<string>>>();
  #reported: ReadonlySet<string> = new Set();
  #lastChecks: readonly HealthCheck[] = [];
  #lastGreen: string | null;
  #sweeps = 0;
  #requested = false;
  #finalizing = false;
  #round = 0;
  #final: FinalizationResult | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #wakeup = new Wakeup();

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
    this.#wakeup.wake();
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
      await this.#wakeup.sleep(this.#options.clock, this.#options.intervalMs, signal);
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
      if (actions.length === 0)
        await this.#wakeup.sleep(this.#options.clock, this.#options.pollMs ?? 1000, signal);
    }
  }

  /**
   * The failures a fix task was made for that still show at the integration branch's head (the
   * head is swept first when the last sweep is older). A failure whose check did not run (an
   * earlier check failed first) counts as still there. `fingerprint` is the task's own, used
   * when the task was created by an earlier process. Throws AbortError when `signal` aborts.
   */
  recheck(
    taskId: string,
    fingerprint: string | null,
    signal?: AbortSignal,
  ): Promise<{ readonly commit: string; readonly failing: readonly Failure[]; readonly unknown: boolean }> {
    const known = this.#fixes.find((fix) => fix.taskId === taskId)?.fingerprints ?? [];
    const wanted = new Set([...known, ...(fingerprint === null ? [] : [fingerprint])]);
    const next = this.#queue.then(async () => {
      const head = await this.#head(signal);
      if (this.#lastSweep?.commit !== head) await this.#sweep(signal);
      const sweep = this.#lastSweep!;
      const failing = sweep.failures.filter((failure) => wanted.has(failure.fingerprint));
      const ran = new Set(sweep.checks.map((check) => check.name));
      const unknown = [...wanted].some((entry) => !ran.has(entry.split(":")[0] as CheckName));
      return { commit: sweep.commit, failing, unknown: failing.length === 0 && unknown };
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Runs every check on `commit` (serialized with the sweeps, which share the checkout), records
   * a `health-check` event, and returns the result. The reconciler's own view of the branch does
   * not change: this is for commits the run is about to hand over, such as the one that puts the
   * held-out tests back. Throws AbortError when `signal` aborts.
   */
  checkCommit(commit: string, signal?: AbortSignal): Promise<CheckRun> {
    const next = this.#queue.then(async () => {
      const run = await this.#options.workspace.run(commit, signal === undefined ? {} : { signal });
      this.#options.emit({ type: "health-check", commit, checks: [...run.checks], green: run.green });
      return run;
    });
    this.#queue = next.catch(() => undefined);
    return next;
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
    const waiting = new Set(
      (this.#lastSweep?.failures ?? [])
        .filter((failure) => !this.#passedBefore.has(failure.fingerprint))
        .filter((failure) => !progress.workLanded(failure.files))
        .map((failure) => failure.fingerprint),
    );
    return {
      head,
      sweepDue: this.#requested || this.#lastSweep?.commit !== head || this.#fixClosedSinceSweep(),
      lastSweep: this.#lastSweep,
      lastGreen: this.#lastGreen,
      fixes: this.#records(),
      culprits: this.#culprits,
      reverted: this.#reverted,
      waiting,
      reported: this.#reported,
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
      case "report-unfinished":
        this.#reported = new Set(action.failures.map((failure) => failure.fingerprint));
        this.#options.progress.reportUnfinished(this.#concealed(action.failures));
        return;
      case "start-finalization-round":
        this.#round = action.round;
        this.#log("info", `finalization round ${action.round} of ${this.#desired.finalizationMaxAttempts}`);
        return;
      // The verdict is the caller's to announce (the run's end), so it is not logged here too.
      case "finalize-green":
        this.#final = { status: "green", commit: action.commit, rounds: this.#round };
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
        return;
    }
  }

  async #sweep(signal: AbortSignal | undefined): Promise<void> {
    this.#requested = false;
    const head = await this.#head(signal);
    this.#sweeps += 1;
    const id = this.#sweeps;
    const result = await this.#options.workspace.run(head, signal === undefined ? {} : { signal });
    const { checks, failures } = guardTestCounts(this.#lastChecks, result);
    const green = checks.every((check) => check.ok);
    this.#passedBefore = await this.#passedEarlier(failures, signal);
    for (const check of checks) if (check.ok) this.#passedAt.set(check.name, head);
    this.#lastSweep = { id, commit: head, green, checks, failures };
    this.#lastChecks = checks;
    if (green) this.#lastGreen = head;
    this.#options.emit({ type: "health-check", commit: head, checks: [...checks], green });
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
    const head = this.#lastSweep?.commit ?? (await this.#head(signal));
    const since = this.#lastGreen ?? this.#landings[0]?.previous ?? null;
    const request = await fixRequest(
      action,
      this.#options.git,
      this.#options.workspace.hidden?.path,
      { since: since === "" ? null : since, head },
      signal,
    );
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
    const worktree = new EphemeralWorktree(this.#options.git);
    const outcome = await revertLanding({
      git: this.#options.git,
      runner: this.#options.gitRunner,
      ref: this.#options.ref,
      culprit,
      identity: this.#options.identity,
      reason,
      worktree,
      signal,
    }).finally(() => worktree.remove());
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

  /**
   * The failures that are regressions by history: their check passed at an earlier swept commit
   * (the last green one after a resume) that already held their file.
   */
  async #passedEarlier(failures: readonly Failure[], signal: AbortSignal | undefined): Promise<Set<string>> {
    const passed = new Set<string>();
    for (const failure of failures) {
      const commit = this.#passedAt.get(failure.check) ?? this.#lastGreen;
      if (commit === null || commit === undefined) continue;
      // Held-out tests are copied in at check time, so they were there whenever the check ran.
      if (failure.file === null || failure.check === "acceptance") passed.add(failure.fingerprint);
      else if ((await this.#filesAt(commit, signal)).has(failure.file)) passed.add(failure.fingerprint);
    }
    return passed;
  }

  #filesAt(commit: string, signal: AbortSignal | undefined): Promise<ReadonlySet<string>> {
    let files = this.#files.get(commit);
    if (files === undefined) {
      files = this.#options.git
        .listFiles(commit, signal === undefined ? {} : { signal })
        .then((list) => new Set(list));
      files.catch(() => this.#files.delete(commit));
      this.#files.set(commit, files);
      // Only the commits checks last passed at are asked about; a few are enough to keep.
      if (this.#files.size > 8) this.#files.delete(this.#files.keys().next().value!);
    }
    return files;
  }

  /** A fix task closed after the last sweep started: sweep again to see whether it worked. */
  #fixClosedSinceSweep(): boolean {
    const last = this.#lastSweep?.id ?? 0;
    return this.#fixes.some(
      (fix) => fix.closedAfterSweep !== null && fix.closedAfterSweep >= last && last > 0,
    );
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

  /** Failures as the planner may hear of them: nothing that names the held-out tests. */
  #concealed(failures: readonly Failure[]): Failure[] {
    const hidden = this.#options.workspace.hidden?.path;
    return hidden === undefined ? [...failures] : failures.map((failure) => concealHidden(failure, hidden));
  }

  #log(level: "info" | "warn" | "error", message: string, taskId: string | null = null): void {
    this.#options.emit({ type: "log", level, message: `reconciler: ${message}`, taskId });
  }
}
