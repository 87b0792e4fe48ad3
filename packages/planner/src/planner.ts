import {
  type Clock,
  type EmitEvent,
  type Handoff,
  InternalError,
  type MergeOutcome,
  type NewEvent,
} from "@longshot/core";
import type { LanguageModel } from "@longshot/llm";
import { batchStep, type PlanProgress } from "./internal/batch-step.js";
import type { PlannerSession } from "./internal/planner-session.js";
import { type ReplanOutcome, replanStep } from "./internal/replan-step.js";
import { type SplitOutcome, splitTask } from "./internal/split-task.js";
import { type PlannerLimits, type PlannerLimitsInput, resolvePlannerLimits } from "./planner-limits.js";
import type { DeltaItem, PlannerState, PlannerStateStore } from "./planner-state.js";
import { gatherPlanningContext, type PlanningContext } from "./planning-context.js";
import { loadPrompts, type PromptLibrary } from "./prompt-library.js";
import type { RepoReader } from "./repo-reader.js";
import { TaskGraph } from "./task-graph.js";

export interface PlannerOptions {
  readonly runId: string;
  /** The user's build request, such as "Build per SPEC.md". */
  readonly request: string;
  readonly model: LanguageModel;
  readonly repo: RepoReader;
  readonly store: PlannerStateStore;
  /** Receives every event, after the state that produced it was saved. */
  readonly emit: EmitEvent;
  readonly clock: Clock;
  /** Prefix of task branches, such as `longshot/`. */
  readonly branchPrefix: string;
  readonly limits?: PlannerLimitsInput;
  /** Defaults to the prompts shipped in this package. */
  readonly prompts?: PromptLibrary;
}

/**
 * The root planner of one run. It produces the plan in batches into a live {@link TaskGraph}
 * (the engine schedules from `graph` while later batches are planned), splits tasks that are
 * too large with subplanners, and replans from handoffs. Its state is saved through the store
 * after every step, so `Planner.open` on a restarted run continues the same plan. Model calls
 * are serialized: concurrent calls to `plan`, `split` and `replan` wait for each other.
 */
export class Planner {
  readonly graph: TaskGraph;
  readonly limits: PlannerLimits;
  readonly #options: PlannerOptions;
  readonly #session: PlannerSession;
  readonly #state: PlannerState;
  #context: Promise<PlanningContext> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  /** A replan waiting for its turn: it will read every piece of news recorded until it starts. */
  #waitingReplan: Promise<ReplanOutcome> | null = null;

  private constructor(options: PlannerOptions, prompts: PromptLibrary, state: PlannerState) {
    this.#options = options;
    this.#state = state;
    this.limits = resolvePlannerLimits(options.limits);
    this.graph = new TaskGraph(
      { runId: options.runId, branchPrefix: options.branchPrefix, clock: options.clock },
      state.graph,
    );
    this.#session = {
      runId: options.runId,
      model: options.model,
      prompts,
      graph: this.graph,
      limits: this.limits,
      state,
      publish: (events, signal) => this.#publish(events, signal),
      context: (signal) => this.#planningContext(signal),
    };
  }

  /**
   * Opens the planner of a run: resumes from the store when it holds state for this run,
   * starts empty otherwise. Throws an InternalError when the stored state belongs to another
   * run, and `AbortError` when `signal` aborts.
   */
  static async open(options: PlannerOptions, signal: AbortSignal): Promise<Planner> {
    const prompts = options.prompts ?? (await loadPrompts(signal));
    const saved = await options.store.load(signal);
    if (saved !== undefined && saved.runId !== options.runId) {
      throw new InternalError(`The planner store holds run ${saved.runId}, not ${options.runId}.`);
    }
    return new Planner(options, prompts, saved ?? initialState(options, prompts));
  }

  /** A copy of the state as it would be saved now. */
  get state(): PlannerState {
    // The graph's snapshot is a copy already: only the rest is cloned (once per save).
    const { graph: _graph, ...rest } = this.#state;
    return { ...structuredClone(rest), graph: this.graph.snapshot() };
  }

  /** Batches of the root plan accepted so far. */
  get batch(): number {
    return this.#state.batch;
  }

  get planningDone(): boolean {
    return this.#state.planningDone;
  }

  /** True once the planner declared the request complete. */
  get complete(): boolean {
    return this.#state.complete;
  }

  /** Why the root plan was rejected, or `undefined`. */
  get rejection(): { readonly stage: string; readonly problems: readonly string[] } | undefined {
    return this.#state.rejection ?? undefined;
  }

  /**
   * Produces the remaining batches of the root plan, yielding after each one; tasks are in
   * `graph` (and their events emitted) before the batch is yielded, and composite tasks of the
   * batch are split before the next batch is requested. Ends after the final batch, a
   * rejection, or a failed model call. Resumed planners continue at the next batch. Throws
   * `AbortError` when `signal` aborts.
   */
  async *plan(signal: AbortSignal): AsyncGenerator<PlanProgress, void, undefined> {
    while (!this.#state.planningDone && this.#state.rejection === null) {
      const progress = await this.#exclusive(() => batchStep(this.#session, signal));
      yield progress;
      if (progress.kind !== "batch") return;
    }
  }

  /** Splits one task with a subplanner (recursively, to the depth limit). */
  split(taskId: string, signal: AbortSignal): Promise<SplitOutcome[]> {
    return this.#exclusive(() => splitTask(this.#session, taskId, signal));
  }

  /** Records a worker's handoff for the next planner call. Saved with the next step or `save`. */
  recordHandoff(taskId: string, handoff: Handoff): void {
    const { status, summary, concerns, suggestions } = handoff;
    this.#record({ kind: "handoff", taskId, status, summary, concerns, suggestions });
    this.#state.handoffsSinceReplan += 1;
  }

  /** Records a task failure (attempts exhausted, stuck, timed out…). */
  recordFailure(taskId: string, reason: string): void {
    this.#record({ kind: "failure", taskId, reason });
  }

  /** Records what the merge queue did with a task. */
  recordMerge(taskId: string, outcome: MergeOutcome, detail = ""): void {
    this.#record({ kind: "merge", taskId, outcome, detail });
  }

  /** Records the health of the integration branch. */
  recordHealth(green: boolean, summary: string): void {
    this.#record({ kind: "health", green, summary });
  }

  /**
   * Whether it is time to replan: the root plan is done, the request is not complete, and
   * either `replanEvery` handoffs arrived or nothing is ready and there is news (or the plan
   * just finished).
   */
  shouldReplan(): boolean {
    const state = this.#state;
    if (!state.planningDone || state.complete || state.rejection !== null) return false;
    if (state.handoffsSinceReplan >= this.limits.replanEvery) return true;
    return state.changedSinceReplan && this.graph.readyTasks().length === 0;
  }

  /**
   * Replans from the news recorded since the last planner call. Returns a `rejected` outcome
   * (and emits `plan-reject`) when the changes are still invalid after one repair round; the
   * graph is unchanged then. Throws `AbortError` when `signal` aborts. A call made while another
   * replan still waits for its turn joins that one (it will read this caller's news too), so a
   * burst of handoffs during a slow planner call costs one more call, not one each.
   */
  replan(signal: AbortSignal): Promise<ReplanOutcome> {
    if (this.#waitingReplan !== null) return this.#waitingReplan;
    const replan = this.#exclusive(() => {
      this.#waitingReplan = null;
      return replanStep(this.#session, signal);
    });
    this.#waitingReplan = replan;
    return replan;
  }

  /** Saves the state now (for example after recording news). */
  save(signal: AbortSignal): Promise<void> {
    return this.#exclusive(() => this.#publish([], signal));
  }

  #record(item: DeltaItem): void {
    this.#state.inbox.push(item);
    this.#state.changedSinceReplan = true;
  }

  #planningContext(signal: AbortSignal): Promise<PlanningContext> {
    if (this.#context === undefined) {
      const pending = gatherPlanningContext(
        this.#options.repo,
        this.#options.request,
        signal,
        this.limits.context,
      );
      // A failed or cancelled gathering is retried by the next caller.
      pending.catch(() => {
        if (this.#context === pending) this.#context = undefined;
      });
      this.#context = pending;
    }
    return this.#context;
  }

  async #publish(events: readonly NewEvent[], signal: AbortSignal): Promise<void> {
    await this.#options.store.save(this.state, signal);
    for (const event of events) this.#options.emit(event);
  }

  #exclusive<T>(step: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(step, step);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function initialState(options: PlannerOptions, prompts: PromptLibrary): PlannerState {
  return {
    version: 1,
    runId: options.runId,
    request: options.request,
    promptVersions: prompts.versions(),
    scratchpad: "",
    batch: 0,
    planningDone: false,
    rejection: null,
    complete: false,
    keys: {},
    graph: { sequence: 0, tasks: [] },
    inbox: [],
    seen: 0,
    handoffsSinceReplan: 0,
    changedSinceReplan: false,
    replans: 0,
  };
}
