import {
  AbortError,
  checkTransition,
  EnvironmentError,
  InternalError,
  isTerminal,
  type LongshotEvent,
  messageOf,
  type NewEvent,
  type RunStatus,
  type Task,
  TaskSpecSchema,
  type TaskState,
} from "@longshot/core";
import type { TaskGraphSnapshot } from "@longshot/planner";
import PQueue from "p-queue";
import { type EngineCommand, EngineCommandSchema } from "./commands.js";
import { ConflictLanes } from "./conflict-lanes.js";
import type { CriticPort } from "./critics/critic-port.js";
import { EventHub } from "./event-hub.js";
import type { FinalizeResult, HealthPort, PlannerPort, RunLog, TaskSink, TaskSpecInput } from "./ports.js";
import {
  activeTime,
  applyEvent,
  countByState,
  interruptedAttempts,
  type RunState,
  replay,
} from "./run-state.js";
import type { RunResult, RunSnapshot, RunStart } from "./run-types.js";
import { endOfRun, planCompleteReason, userCancelReason } from "./run-verdict.js";
import { decide, isSettled } from "./scheduler.js";
import type { TaskBranches } from "./task-branches.js";
import { Wakeup } from "./wakeup.js";
import { runWorker, type WorkerContext } from "./worker.js";
import type { WorkerDeps, WorkerHost } from "./worker-host.js";

export interface EngineDeps extends WorkerDeps {
  readonly runId: string;
  readonly log: RunLog;
  /**
   * Opens the planner. `snapshot` is the task graph as the event log has it (empty for a new
   * run), which the planner's graph must start from.
   */
  readonly planner: (snapshot: TaskGraphSnapshot, emit: (event: NewEvent) => void) => Promise<PlannerPort>;
  readonly health: ((engine: RunEngine) => HealthPort) | null;
  /** Read-only critic rounds every N landings and at finalization (CRITIC_EVERY), or none. */
  readonly critics?: ((engine: RunEngine) => CriticPort) | null;
  /** The settings this process runs with, recorded in `run-resume` when it resumes a run. */
  readonly recordedSettings?: Readonly<Record<string, string>>;
  /** Deletes the branches of finished tasks when the run loop ends; nothing is deleted without it. */
  readonly taskBranches?: TaskBranches;
}

export type { EngineSettings, RunResult, RunSnapshot, RunStart } from "./run-types.js";

/**
 * The run loop. It owns the run's state, which is nothing but the fold of its event log: every
 * change is appended to the log first and then applied, so `resume` rebuilds the exact state.
 * Decisions come from the pure scheduler; workers run in a p-queue sized MAX_WORKERS.
 */
export class RunEngine implements TaskSink, WorkerHost {
  readonly runId: string;
  readonly #deps: EngineDeps;
  readonly #state: RunState;
  readonly #hub = new EventHub();
  readonly #wakeup = new Wakeup();
  readonly #queue: PQueue;
  readonly #abort = new AbortController();
  readonly #workers = new Map<string, AbortController>();
  /** Resolutions of conflicts in the same file take turns (see ConflictLanes). */
  readonly conflictLanes = new ConflictLanes();
  #planner!: PlannerPort;
  #health: HealthPort | null = null;
  #critics: CriticPort | null = null;
  #maxWorkers: number;
  #interrupted = false;
  #planning: Promise<void> | null = null;
  #planError: unknown = null;
  #completing = false;
  #finalizing: Promise<void> | null = null;
  /** Deletions of finished tasks' branches under way; the run waits for them before it returns. */
  readonly #branchCleanups = new Set<Promise<void>>();
  #finalResult: FinalizeResult | null = null;
  #plannerBusy = 0;
  /** The drain was a budget stop: the run ends red, naming the budget and what is unfinished. */
  #budgetStop: string | null = null;
  /** The log refused an event (a full disk): the run stops, and `run` throws this. */
  #recordLost: RunRecordError | null = null;

  private constructor(deps: EngineDeps) {
    this.#deps = deps;
    this.runId = deps.runId;
    this.#state = replay(deps.runId, deps.log.read());
    this.#maxWorkers = deps.settings.maxWorkers;
    this.#queue = new PQueue({ concurrency: this.#maxWorkers });
  }

  /** Rebuilds the run's state from its log (empty for a new run) and opens its planner. */
  static async open(deps: EngineDeps): Promise<RunEngine> {
    const engine = new RunEngine(deps);
    const state = engine.#state;
    const snapshot: TaskGraphSnapshot = {
      sequence: state.order.length,
      tasks: state.order.map((id) => state.tasks.get(id)!.task),
    };
    engine.#planner = await deps.planner(snapshot, (event) => engine.append(event));
    engine.#health = deps.health ? deps.health(engine) : null;
    engine.#critics = deps.critics ? deps.critics(engine) : null;
    return engine;
  }

  /** Aborted when the run ends or is aborted; for background work that belongs to the run. */
  get runSignal(): AbortSignal {
    return this.#abort.signal;
  }

  /** The run's critics, or null when CRITIC_EVERY is 0. */
  get critics(): CriticPort | null {
    return this.#critics;
  }

  /** The current state; callers must not mutate it. */
  get state(): RunState {
    return this.#state;
  }

  snapshot(): RunSnapshot {
    return { state: this.#state, counts: countByState(this.#state), maxWorkers: this.#maxWorkers };
  }

  /** Events from `afterSeq` on: the backlog from the log, then live ones until the run ends. */
  events(afterSeq = 0, signal?: AbortSignal): AsyncIterable<LongshotEvent> {
    return this.#hub.subscribe(() => this.#deps.log.read(afterSeq), signal);
  }

  /**
   * Appends an event to the log, then applies it; the single way state changes. When the log
   * cannot write it (a full disk), nothing more happens: the run aborts, every later append throws
   * the same error, and `run` ends by throwing it, so no state exists that the record lacks.
   */
  append(event: NewEvent): LongshotEvent {
    if (this.#recordLost !== null) throw this.#recordLost;
    let recorded: LongshotEvent;
    try {
      recorded = this.#deps.log.append(event);
    } catch (error) {
      // An event the log's schema refuses is a bug, thrown to its caller as before; a log that
      // cannot write (SQLite's and the file system's errors carry a code) ends the run.
      if (typeof (error as { code?: unknown } | null)?.code !== "string") throw error;
      this.#recordLost = new RunRecordError(this.runId, error);
      this.#abort.abort(this.#recordLost);
      this.#wakeup.wake();
      throw this.#recordLost;
    }
    applyEvent(this.#state, recorded);
    this.#hub.publish(recorded);
    this.#critics?.observe(recorded);
    this.#wakeup.wake();
    return recorded;
  }

  // ── TaskSink ────────────────────────────────────────────────────────────────────────────

  addTask(
    spec: TaskSpecInput,
    kind: Task["kind"],
    options: { parentId?: string; fingerprint?: string } = {},
  ): Task {
    const change = this.#planner.graph.add(TaskSpecSchema.parse(spec), {
      kind,
      parentId: options.parentId ?? null,
      fingerprint: options.fingerprint ?? null,
    });
    for (const event of change.events) this.append(event);
    return change.value;
  }

  cancelTask(taskId: string, reason: string): void {
    const view = this.#state.tasks.get(taskId);
    if (!view) return;
    const worker = this.#workers.get(taskId);
    if (worker) {
      worker.abort(new AbortError(reason));
      return;
    }
    if (checkTransition(view.task.state, "cancelled").ok) this.transition(taskId, "cancelled", reason);
  }

  updateTask(taskId: string, changes: Parameters<TaskSink["updateTask"]>[1]): void {
    const view = this.#state.tasks.get(taskId);
    if (view && (view.task.state === "pending" || view.task.state === "ready")) {
      for (const event of this.#planner.graph.amend(taskId, changes).events) this.append(event);
    }
  }

  /** Moves a task to a new state in the graph and the log; an illegal move is a bug. */
  transition(taskId: string, to: TaskState, reason: string): void {
    const result = this.#planner.graph.transition(taskId, to, reason);
    if (!result.ok) throw new InternalError(`task ${taskId}: ${result.reason}`);
    this.append(result.event);
    const task = this.#state.tasks.get(taskId)?.task;
    if (task !== undefined && isTerminal(to)) this.#removeBranchesOf([task]);
  }

  // ── Commands ────────────────────────────────────────────────────────────────────────────

  /** Applies a command from a front end; invalid input is a UserError-worthy zod error. */
  send(command: EngineCommand): void {
    const parsed = EngineCommandSchema.parse(command);
    switch (parsed.type) {
      case "pause":
        if (!this.#state.paused) this.append({ type: "run-pause" });
        break;
      case "resume":
        if (this.#state.paused) this.append({ type: "run-unpause" });
        break;
      case "stop":
        this.drain(parsed.reason, true);
        break;
      case "abort":
        this.#interrupted = true;
        if (!this.#state.draining) this.append({ type: "run-drain", reason: parsed.reason });
        this.#abort.abort(new AbortError(parsed.reason));
        break;
      case "cancel-task":
        this.cancelTask(parsed.taskId, userCancelReason);
        break;
      case "add-task":
        this.addTask(TaskSpecSchema.parse(parsed.task), "manual");
        break;
      case "set-max-workers":
        this.#maxWorkers = parsed.value;
        this.#queue.concurrency = parsed.value;
        this.append({ type: "log", level: "info", message: `max workers set to ${parsed.value}` });
        break;
    }
    this.#wakeup.wake();
  }

  /** Stops planning and dispatching; running attempts finish, then the run reports. */
  drain(reason: string, interrupted = false): void {
    if (interrupted) this.#interrupted = true;
    if (!this.#state.draining) this.append({ type: "run-drain", reason });
  }

  /** A run budget is spent: drain, and end red naming the budget (unless the user stopped first). */
  stopForBudget(reason: string): void {
    if (this.#state.draining) return;
    this.#budgetStop = reason;
    this.drain(reason);
  }

  /** News for the planner about the run's progress (failures that wait for planned work). */
  reportProgress(summary: string): void {
    this.append({ type: "log", level: "info", message: `reconciler: ${summary}`, taskId: null });
    this.#planner.news(summary);
  }

  /**
   * The reconciler undid a landed task's work: the task becomes `reverted` (no longer counted as
   * landed) and goes back to the planner, which retries, splits or gives it up.
   */
  markReverted(taskId: string, reason: string): void {
    if (this.#state.tasks.get(taskId)?.task.state !== "landed") return;
    this.transition(taskId, "reverted", reason);
    void this.withPlanner(() =>
      this.#planner
        .update({ taskId, outcome: "reverted", handoff: null, reason }, this.#abort.signal)
        .catch((error: unknown) => {
          this.#deps.logger.warn({ taskId, error: messageOf(error) }, "planner update failed");
        }),
    );
  }

  // ── The loop ────────────────────────────────────────────────────────────────────────────

  /** Starts a new run (recording run-start) or continues the one in the log, until it ends. */
  async run(start: RunStart | null): Promise<RunResult> {
    if (this.#state.lastSeq < 0 || this.#state.request === "") {
      if (!start) throw new InternalError(`run ${this.runId} has no run-start event`);
      this.append({ type: "run-start", ...start, settings: start.settings ?? {} });
    } else {
      this.append({ type: "run-resume", reason: "resumed", settings: { ...this.#deps.recordedSettings } });
      this.#recoverInterrupted();
    }
    this.#health?.start(this.#abort.signal);
    try {
      return await this.#loop();
    } finally {
      this.#abort.abort(new AbortError("run ended"));
      await this.#queue.onIdle();
      await this.#health?.stop();
      await this.#finalizing;
      await Promise.all(this.#branchCleanups);
      this.#hub.close();
    }
  }

  /**
   * A task that reached a terminal state leaves no branch behind in the user's repository;
   * unfinished tasks keep theirs for a resumed run. Started as the task finishes, so the run's
   * end does not wait for it.
   */
  #removeBranchesOf(tasks: readonly Task[]): void {
    const branches = this.#deps.taskBranches;
    if (branches === undefined) return;
    const cleanup = branches.removeFinished(tasks).then(
      () => undefined,
      (error: unknown) => {
        this.#deps.logger.warn(
          { error: messageOf(error) },
          "could not delete the branches of finished tasks",
        );
      },
    );
    this.#branchCleanups.add(cleanup);
    void cleanup.finally(() => this.#branchCleanups.delete(cleanup));
  }

  /** Attempts that were running when the process died start over; their sandboxes are gone. */
  #recoverInterrupted(): void {
    for (const { taskId, attempt } of interruptedAttempts(this.#state)) {
      if (attempt !== null) {
        this.append({
          type: "attempt-end",
          taskId,
          attempt,
          outcome: "cancelled",
          commit: null,
          handoff: null,
          reason: "interrupted: the previous process stopped during this attempt",
        });
      }
      this.transition(taskId, "ready", "restarted after an interruption");
    }
  }

  async #loop(): Promise<RunResult> {
    if (!this.#state.planComplete) this.#startPlanning();
    for (;;) {
      if (this.#abort.signal.aborted) {
        // The aborted workers tear their sandboxes down and settle their tasks before the end is
        // recorded: whoever follows the log stops reading at `run-end`.
        await this.#queue.onIdle();
        if (this.#recordLost !== null) throw this.#recordLost;
        // A budget's drain cut short (DRAIN_TIMEOUT, a second Ctrl+C) is still the budget's stop.
        if (this.#budgetStop === null) return this.#end("stopped", "aborted", true);
        const end = endOfRun(this.#state, null, this.#budgetStop);
        return this.#end(end.status, end.reason, false);
      }
      if (this.#planError !== null) {
        this.drain(`planning failed: ${messageOf(this.#planError)}`);
        await this.#queue.onIdle();
        return this.#end("failed", `planning failed: ${messageOf(this.#planError)}`, false);
      }
      this.#checkWallTime();
      this.#resumeMerging();
      const limits = { maxWorkers: this.#maxWorkers, plannerBusy: this.#plannerBusy > 0 };
      for (const decision of decide(this.#state, limits)) {
        switch (decision.kind) {
          case "promote":
            this.transition(decision.taskId, "ready", decision.reason);
            break;
          case "cancel":
            this.transition(decision.taskId, "cancelled", decision.reason);
            break;
          case "dispatch":
            // The previous attempt's worker is still winding down; the next wake dispatches.
            if (this.#workers.has(decision.taskId)) break;
            this.transition(decision.taskId, "running", "dispatched");
            this.#dispatch(decision.taskId);
            break;
        }
      }
      // Work after finalization (the planner retried a reverted task): finalize again once it settles.
      if (this.#finalResult && !isSettled(this.#state)) {
        this.#finalResult = null;
        this.#finalizing = null;
      }
      if (
        this.#finalResult &&
        this.#workers.size === 0 &&
        this.#plannerBusy === 0 &&
        isSettled(this.#state)
      ) {
        const ended = this.#finalize();
        if (ended) return ended;
      }
      const active = this.#workers.size > 0 || this.#plannerBusy > 0 || this.#planning !== null;
      if (this.#state.draining && this.#workers.size === 0 && this.#plannerBusy === 0) {
        return this.#finishDrain();
      }
      if (!active && !this.#state.draining && !this.#state.paused) {
        const outcome = await this.#whenIdle();
        if (outcome) return outcome;
      }
      await this.#wakeup.wait(this.#deps.clock, 1_000);
    }
  }

  /** Nothing runs: ask the planner whether the request is complete, then finalize. */
  async #whenIdle(): Promise<RunResult | null> {
    const counts = countByState(this.#state);
    const open = counts.pending + counts.ready + counts.running + counts.review + counts.merging;
    if (open > 0 && !isSettled(this.#state)) {
      if (counts.ready > 0 || counts.running > 0) return null;
      // Pending tasks that can never become ready while the plan is open: let the planner decide.
      if (!this.#state.planComplete) await this.#askComplete();
      return null;
    }
    if (!this.#state.planComplete) {
      await this.#askComplete();
      return null;
    }
    return this.#finalize();
  }

  async #askComplete(): Promise<void> {
    if (this.#completing) return;
    this.#completing = true;
    this.#plannerBusy += 1;
    try {
      const before = this.#state.order.length;
      const complete = await this.#planner.complete(this.#abort.signal);
      // The planner's own declaration is already in the log; record one only when it made none.
      if (complete && this.#state.order.length === before && !this.#state.planComplete) {
        this.append({ type: "plan-complete", reason: planCompleteReason(this.#state) });
      }
    } catch (error) {
      if (!this.#abort.signal.aborted) this.#planError = error;
    } finally {
      this.#plannerBusy -= 1;
      this.#completing = false;
    }
  }

  /**
   * Everything is accounted for. Without health checks the run ends now; with them the
   * reconciler's finalization runs in the background (it may add fix tasks, which this loop
   * dispatches) and the run ends when it reports. Green needs both halves of the contract: every
   * task the plan requires landed, and the final checks pass (see `endOfRun`).
   */
  #finalize(): RunResult | null {
    // The final critic round comes first: its findings may still add work.
    if (this.#critics?.beforeFinalize()) return null;
    const checked = this.#health !== null && this.#deps.settings.finalization;
    if (!checked || this.#finalResult) {
      const end = endOfRun(this.#state, checked ? this.#finalResult : null);
      return this.#end(end.status, end.reason, false, end.head);
    }
    if (!this.#finalizing) {
      const health = this.#health!;
      this.#finalizing = health
        .finalize(this.#abort.signal)
        .then((result) => {
          this.#finalResult = result;
        })
        .catch((error: unknown) => {
          if (!this.#abort.signal.aborted)
            this.#finalResult = {
              green: false,
              reason: `finalization failed: ${messageOf(error)}`,
              commit: null,
            };
        })
        .finally(() => this.#wakeup.wake());
    }
    return null;
  }

  async #finishDrain(): Promise<RunResult> {
    if (this.#budgetStop !== null && !this.#interrupted) {
      const end = endOfRun(this.#state, null, this.#budgetStop);
      return this.#end(end.status, end.reason, false);
    }
    const reason = this.#state.drainReason || "drained";
    return this.#end("stopped", reason, this.#interrupted);
  }

  /** MAX_WALL_TIME counts the time every process worked on the run, not just this one. */
  #checkWallTime(): void {
    const limit = this.#deps.settings.maxWallTimeMs;
    if (limit === null || this.#state.draining) return;
    const used = activeTime(this.#state, this.#deps.clock.now());
    if (used >= limit) {
      this.append({ type: "budget-refuse", scope: "run", kind: "wall-time", taskId: null, limit, used });
      this.stopForBudget(`the MAX_WALL_TIME budget of ${Math.round(limit / 1000)} s is spent`);
    }
  }

  /** Tasks left in `merging` by a crash are offered to the merge queue again. */
  #resumeMerging(): void {
    for (const view of this.#state.tasks.values()) {
      if (view.task.state !== "merging" || this.#workers.has(view.task.id)) continue;
      this.#dispatch(view.task.id);
    }
  }

  #dispatch(taskId: string): void {
    if (this.#workers.has(taskId)) throw new InternalError(`task ${taskId} already has a worker`);
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(this.#abort.signal.reason);
    this.#abort.signal.addEventListener("abort", onAbort, { once: true });
    this.#workers.set(taskId, controller);
    const context: WorkerContext = {
      engine: this,
      deps: this.#deps,
      planner: this.#planner,
      health: this.#health,
      signal: controller.signal,
    };
    void this.#queue
      .add(() => runWorker(context, taskId))
      .catch((error: unknown) => {
        // The record is lost: the run is ending, and nothing more can be written about it.
        if (this.#recordLost !== null) return;
        this.#deps.logger.error({ taskId, error: messageOf(error) }, "worker crashed");
        this.append({
          type: "log",
          level: "error",
          message: `worker for ${taskId} crashed: ${messageOf(error)}`,
          taskId,
        });
        const view = this.#state.tasks.get(taskId);
        if (view && checkTransition(view.task.state, "failed").ok)
          this.transition(taskId, "failed", messageOf(error));
      })
      .finally(() => {
        this.#abort.signal.removeEventListener("abort", onAbort);
        // A retry may already have dispatched a new worker for the task; keep its entry.
        if (this.#workers.get(taskId) === controller) this.#workers.delete(taskId);
        this.#wakeup.wake();
      });
  }

  #startPlanning(): void {
    this.#plannerBusy += 1;
    this.#planning = this.#planner
      .plan(this.#abort.signal)
      .catch((error: unknown) => {
        if (!this.#abort.signal.aborted) this.#planError = error;
      })
      .finally(() => {
        this.#plannerBusy -= 1;
        this.#planning = null;
        this.#wakeup.wake();
      });
  }

  /** Tracks planner work started by workers (replanning) so the loop does not finish under it. */
  async withPlanner(work: () => Promise<void>): Promise<void> {
    this.#plannerBusy += 1;
    try {
      await work();
    } finally {
      this.#plannerBusy -= 1;
      this.#wakeup.wake();
    }
  }

  #end(status: RunStatus, reason: string, interrupted: boolean, head = this.#state.head): RunResult {
    // Tasks the planner split or cancelled finished without a transition here; `run` waits.
    this.#removeBranchesOf([...this.#state.tasks.values()].map((view) => view.task));
    this.append({ type: "run-end", status, reason, head });
    return { runId: this.runId, status, reason, head, interrupted };
  }
}

/**
 * The run's log refused an event (a full disk, a read-only file system): the run stopped there.
 * Everything recorded before it is kept, so the run can be resumed once the cause is fixed.
 */
export class RunRecordError extends EnvironmentError {
  readonly runId: string;
  /** The cause looks like a full disk. */
  readonly diskFull: boolean;

  constructor(runId: string, cause: unknown) {
    const why = messageOf(cause);
    super(
      `Run ${runId} stopped: its record could not be written (${why}); everything recorded before is kept.`,
      {
        cause,
      },
    );
    this.runId = runId;
    this.diskFull = /disk is full|ENOSPC|no space left/i.test(why);
  }
}
