import {
  AbortError,
  type Clock,
  checkTransition,
  InternalError,
  type Logger,
  type LongshotEvent,
  messageOf,
  type NewEvent,
  type RunStatus,
  type Task,
  TaskSpecSchema,
  type TaskState,
} from "@longshot/core";
import type { TaskGraphSnapshot } from "@longshot/planner";
import type { SandboxLimits, SandboxProvider } from "@longshot/sandbox";
import PQueue from "p-queue";
import { type EngineCommand, EngineCommandSchema } from "./commands.js";
import { ConflictLanes } from "./conflict-lanes.js";
import { EventHub } from "./event-hub.js";
import type { Judge } from "./judge.js";
import type {
  ConflictResolver,
  HealthPort,
  Lander,
  PlannerPort,
  RunLog,
  TaskSink,
  TaskSpecInput,
  WorkerHarness,
} from "./ports.js";
import { applyEvent, countByState, type RunState, replay } from "./run-state.js";
import { decide, isSettled } from "./scheduler.js";
import { Wakeup } from "./wakeup.js";
import { runWorker, type WorkerContext } from "./worker.js";

export interface EngineSettings {
  readonly maxWorkers: number;
  /** Attempts per task, not counting re-runs after merge conflicts. */
  readonly maxAttempts: number;
  /** Re-runs after merge conflicts per task. */
  readonly maxConflictRetries: number;
  readonly workerTimeoutMs: number;
  readonly workerModel: string;
  readonly altWorkerModel: string;
  /** Model for fix tasks spawned by the reconciler. */
  readonly fixerModel: string;
  readonly sandboxLimits: SandboxLimits;
  readonly branchPrefix: string;
  /** Stop planning and drain after this long; null for no limit. */
  readonly maxWallTimeMs: number | null;
  readonly finalization: boolean;
  readonly finalizationMaxAttempts: number;
}

export interface EngineDeps {
  readonly runId: string;
  readonly repoPath: string;
  readonly log: RunLog;
  readonly harness: WorkerHarness;
  readonly sandboxes: SandboxProvider;
  readonly lander: Lander;
  /** Resolves conflicts at hunk size before a task runs again; null or absent: every conflict re-runs. */
  readonly resolver?: ConflictResolver | null;
  /**
   * Opens the planner. `snapshot` is the task graph as the event log has it (empty for a new
   * run), which the planner's graph must start from.
   */
  readonly planner: (snapshot: TaskGraphSnapshot, emit: (event: NewEvent) => void) => Promise<PlannerPort>;
  readonly health: ((engine: RunEngine) => HealthPort) | null;
  readonly judge: Judge | null;
  /** Unified diff of `base..commit` for the judge. */
  readonly diff: (base: string, commit: string, signal: AbortSignal) => Promise<string>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: EngineSettings;
}

export interface RunStart {
  readonly request: string;
  readonly repo: string;
  readonly baseCommit: string;
  readonly startCommit?: string | null;
  readonly targetBranch: string;
  readonly integrationBranch: string;
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** How a run ended; the CLI turns it into an exit code. */
export interface RunResult {
  readonly runId: string;
  readonly status: RunStatus;
  readonly reason: string;
  readonly head: string;
  /** True when the run was interrupted (Ctrl+C) rather than finished. */
  readonly interrupted: boolean;
}

/** Read-only view of a run for dashboards and MCP. */
export interface RunSnapshot {
  readonly state: RunState;
  readonly counts: Record<TaskState, number>;
  readonly maxWorkers: number;
}

/**
 * The run loop. It owns the run's state, which is nothing but the fold of its event log: every
 * change is appended to the log first and then applied, so `resume` rebuilds the exact state.
 * Decisions come from the pure scheduler; workers run in a p-queue sized MAX_WORKERS.
 */
export class RunEngine implements TaskSink {
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
  #maxWorkers: number;
  #interrupted = false;
  #planning: Promise<void> | null = null;
  #planError: unknown = null;
  #completing = false;
  #finalizing: Promise<void> | null = null;
  #finalResult: { readonly green: boolean; readonly reason: string } | null = null;
  #plannerBusy = 0;

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
    return engine;
  }

  /** Aborted when the run ends or is aborted; for background work that belongs to the run. */
  get runSignal(): AbortSignal {
    return this.#abort.signal;
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
    return this.#hub.subscribe(() => this.#deps.log.read().filter((event) => event.seq > afterSeq), signal);
  }

  /** Appends an event to the log, then applies it; the single way state changes. */
  append(event: NewEvent): LongshotEvent {
    const recorded = this.#deps.log.append(event);
    applyEvent(this.#state, recorded);
    this.#hub.publish(recorded);
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
        this.cancelTask(parsed.taskId, "cancelled by user");
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

  // ── The loop ────────────────────────────────────────────────────────────────────────────

  /** Starts a new run (recording run-start) or continues the one in the log, until it ends. */
  async run(start: RunStart | null): Promise<RunResult> {
    if (this.#state.lastSeq < 0 || this.#state.request === "") {
      if (!start) throw new InternalError(`run ${this.runId} has no run-start event`);
      this.append({ type: "run-start", ...start, settings: start.settings ?? {} });
    } else {
      this.append({ type: "run-resume", reason: "resumed" });
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
      this.#hub.close();
    }
  }

  /** Attempts that were running when the process died start over; their sandboxes are gone. */
  #recoverInterrupted(): void {
    for (const view of this.#state.tasks.values()) {
      const last = view.attempts.at(-1);
      if (view.task.state === "running" || view.task.state === "review") {
        if (last && last.outcome === null) {
          this.append({
            type: "attempt-end",
            taskId: view.task.id,
            attempt: last.number,
            outcome: "cancelled",
            commit: null,
            handoff: null,
            reason: "interrupted: the previous process stopped during this attempt",
          });
        }
        this.transition(view.task.id, "ready", "restarted after an interruption");
      }
    }
  }

  async #loop(): Promise<RunResult> {
    if (!this.#state.planComplete) this.#startPlanning();
    for (;;) {
      if (this.#abort.signal.aborted) return this.#end("stopped", "aborted", true);
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
      if (this.#finalResult && this.#workers.size === 0 && isSettled(this.#state)) {
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
      if (complete && this.#state.order.length === before) {
        this.append({ type: "plan-complete", reason: "the planner's completeness check passed" });
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
   * dispatches) and the run ends when it reports.
   */
  #finalize(): RunResult | null {
    // Work the request needed and did not get: failed tasks, and tasks given up because a
    // dependency failed. (Tasks the planner or the user cancelled were decisions, not failures.)
    const failed = [...this.#state.tasks.values()]
      .filter(
        (view) =>
          view.task.state === "failed" ||
          (view.task.state === "cancelled" && view.lastReason.startsWith("dependency ")),
      )
      .map((view) => view.task.id);
    const failedNote =
      failed.length > 0 ? `${failed.length} task(s) failed or could not run: ${failed.join(", ")}` : null;
    if (!this.#health || !this.#deps.settings.finalization) {
      if (failedNote) return this.#end("red", failedNote, false);
      return this.#end("green", "every task is accounted for (no health checks configured)", false);
    }
    if (this.#finalResult) {
      const { green, reason } = this.#finalResult;
      if (green && failedNote) return this.#end("red", `the branch is green but ${failedNote}`, false);
      return this.#end(green ? "green" : "red", reason, false);
    }
    if (!this.#finalizing) {
      const health = this.#health;
      this.#finalizing = health
        .finalize(this.#abort.signal)
        .then((result) => {
          this.#finalResult = result;
        })
        .catch((error: unknown) => {
          if (!this.#abort.signal.aborted)
            this.#finalResult = { green: false, reason: `finalization failed: ${messageOf(error)}` };
        })
        .finally(() => this.#wakeup.wake());
    }
    return null;
  }

  async #finishDrain(): Promise<RunResult> {
    const reason = this.#state.drainReason || "drained";
    return this.#end("stopped", reason, this.#interrupted);
  }

  #checkWallTime(): void {
    const limit = this.#deps.settings.maxWallTimeMs;
    if (limit === null || this.#state.draining) return;
    const used = this.#deps.clock.now() - this.#state.startedAt;
    if (used >= limit) {
      this.append({ type: "budget-refuse", scope: "run", kind: "wall-time", taskId: null, limit, used });
      this.drain(`wall-time budget of ${Math.round(limit / 1000)} s reached`);
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

  #end(status: RunStatus, reason: string, interrupted: boolean): RunResult {
    this.append({ type: "run-end", status, reason, head: this.#state.head });
    return { runId: this.runId, status, reason, head: this.#state.head, interrupted };
  }
}
