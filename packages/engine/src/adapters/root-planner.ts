import { type Clock, type EmitEvent, InternalError, messageOf, type Task, UserError } from "@longshot/core";
import type { LanguageModel } from "@longshot/llm";
import {
  Planner,
  type PlannerLimitsInput,
  type PlannerState,
  type PlannerStateStore,
  type RepoReader,
  type TaskGraph,
  type TaskGraphSnapshot,
} from "@longshot/planner";
import type { PlannerPort, PlannerUpdate } from "../ports.js";

export interface RootPlannerOptions {
  readonly runId: string;
  readonly request: string;
  readonly model: LanguageModel;
  readonly repo: RepoReader;
  readonly store: PlannerStateStore;
  readonly clock: Clock;
  readonly branchPrefix: string;
  readonly limits?: PlannerLimitsInput;
  /** Replans in a row that change nothing before the request is taken as complete. */
  readonly idleRoundsToComplete?: number;
  /** Failed planning calls (transport, not rejection) tolerated before the run fails. */
  readonly maxPlanFailures?: number;
}

/**
 * The planner as the engine sees it. The event log is the authority on tasks, so the stored
 * planner state is opened with the graph rebuilt from the log; the rest (scratchpad, batches
 * seen, inbox) comes from the planner's own store.
 */
export class RootPlanner implements PlannerPort {
  readonly #planner: Planner;
  readonly #options: RootPlannerOptions;
  #idleRounds = 0;
  #handoffs = 0;

  private constructor(planner: Planner, options: RootPlannerOptions) {
    this.#planner = planner;
    this.#options = options;
  }

  static async open(
    options: RootPlannerOptions,
    snapshot: TaskGraphSnapshot,
    emit: EmitEvent,
  ): Promise<RootPlanner> {
    const store: PlannerStateStore = {
      load: async (signal) => {
        const saved = await options.store.load(signal);
        return saved === undefined ? undefined : ({ ...saved, graph: snapshot } satisfies PlannerState);
      },
      // The log is the authority on tasks and `load` takes them from it, so the stored state
      // leaves them out: saving every task again at each replan is O(tasks) per replan.
      save: (state, signal) => options.store.save({ ...state, graph: { ...state.graph, tasks: [] } }, signal),
    };
    const planner = await Planner.open(
      {
        runId: options.runId,
        request: options.request,
        model: options.model,
        repo: options.repo,
        store,
        emit,
        clock: options.clock,
        branchPrefix: options.branchPrefix,
        ...(options.limits === undefined ? {} : { limits: options.limits }),
      },
      new AbortController().signal,
    );
    if (planner.graph.size !== snapshot.tasks.length) {
      throw new InternalError(
        `planner graph has ${planner.graph.size} tasks, the log ${snapshot.tasks.length}`,
      );
    }
    return new RootPlanner(planner, options);
  }

  get graph(): TaskGraph {
    return this.#planner.graph;
  }

  async plan(signal: AbortSignal): Promise<void> {
    let failures = 0;
    const maxFailures = this.#options.maxPlanFailures ?? 3;
    while (!this.#planner.planningDone) {
      for await (const progress of this.#planner.plan(signal)) {
        if (progress.kind === "rejected") {
          throw new UserError(
            `The planner's batch ${progress.batch} was still invalid after a repair round (${progress.problems.join("; ")}); rephrase the request or SPEC.md and run again.`,
          );
        }
        if (progress.kind === "failed") {
          failures += 1;
          if (progress.cause === "budget" || failures >= maxFailures) {
            throw new UserError(`Planning stopped: ${progress.problems.join("; ")}.`);
          }
          await this.#options.clock.sleep(1000 * failures, signal);
        }
      }
      if (this.#planner.rejection)
        throw new UserError(`The plan was rejected: ${this.#planner.rejection.problems.join("; ")}.`);
    }
  }

  /**
   * Records the news. Replanning waits for `replanEvery` handoffs, or for a handoff that asks
   * for it (blocked or failed work, suggestions for the planner); a quiet stretch with nothing
   * ready is the engine's call (`complete`), so busy workers never trigger planner calls.
   */
  async update(update: PlannerUpdate, signal: AbortSignal): Promise<void> {
    // Critics report to the critic scheduler; their suggestions are findings, not replan requests.
    if (this.graph.get(update.taskId)?.kind === "critic") return;
    if (update.outcome === "landed") {
      this.#planner.recordMerge(update.taskId, "landed");
      return;
    }
    if (update.outcome === "reverted") {
      // Its work is gone from the branch: the planner retries, splits or gives it up.
      this.#planner.recordFailure(update.taskId, `its landing was reverted: ${update.reason}`);
      if (this.#planner.planningDone) await this.#replan(signal);
      return;
    }
    if (update.handoff) this.#planner.recordHandoff(update.taskId, update.handoff);
    else this.#planner.recordFailure(update.taskId, `${update.outcome}: ${update.reason}`);
    this.#handoffs += 1;
    const handoff = update.handoff;
    const asks =
      handoff === null ||
      handoff.status === "blocked" ||
      handoff.status === "failed" ||
      handoff.suggestions.length > 0;
    // Once the planner has declared the request complete, routine handoffs no longer replan (that
    // only repeated the declaration); a given-up task and a reverted landing still do.
    if (!this.#planner.planningDone || this.#planner.complete) return;
    if (asks || this.#handoffs >= this.#planner.limits.replanEvery) {
      this.#handoffs = 0;
      await this.#replan(signal);
    }
  }

  async complete(signal: AbortSignal): Promise<boolean> {
    if (this.#planner.complete) return true;
    if (!this.#planner.planningDone) return false;
    const changed = await this.#replan(signal);
    if (this.#planner.complete) return true;
    this.#idleRounds = changed ? 0 : this.#idleRounds + 1;
    return this.#idleRounds >= (this.#options.idleRoundsToComplete ?? 2);
  }

  news(summary: string): void {
    this.#planner.recordHealth(false, summary);
  }

  async giveUp(task: Task, reason: string, signal: AbortSignal): Promise<void> {
    this.#planner.recordFailure(task.id, `attempts exhausted: ${reason}`);
    await this.#replan(signal);
  }

  /** Replans once; true when the graph changed. */
  async #replan(signal: AbortSignal): Promise<boolean> {
    try {
      const outcome = await this.#planner.replan(signal);
      if (outcome.kind !== "replanned") return false;
      return (
        outcome.added.length + outcome.amended.length + outcome.cancelled.length + outcome.retried.length > 0
      );
    } catch (error) {
      if (signal.aborted) throw error;
      throw new InternalError(`replanning failed: ${messageOf(error)}`, { cause: error });
    }
  }
}
