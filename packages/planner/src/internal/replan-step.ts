import { InternalError, type NewEvent, type Task } from "@longshot/core";
import { ReplanReplySchema } from "../plan-schema.js";
import { type ResolvedProposal, validatePlan } from "../validate-plan.js";
import { addBatches } from "./add-batches.js";
import type { StepFailure } from "./ask-model.js";
import { renderCounts, renderDelta, renderGraph } from "./planner-messages.js";
import { askSession, keysById, needsSplit, type PlannerSession, splitDepth } from "./planner-session.js";
import { splitBatch } from "./split-batch.js";
import { type SplitOutcome, splitTask } from "./split-task.js";

/** What a replan did. */
export type ReplanOutcome =
  | {
      readonly kind: "replanned";
      /**
       * The planning round (shares its numbering with the root plan's batches); a reply adding
       * more than `maxNewTasksPerReplan` tasks takes this round and the next ones, one per slice.
       */
      readonly round: number;
      readonly added: readonly Task[];
      readonly amended: readonly string[];
      readonly cancelled: readonly string[];
      readonly retried: readonly string[];
      /** Splits of the tasks the planner asked to split, then of new tasks that need it. */
      readonly splits: readonly SplitOutcome[];
      /** True when the planner declared the request complete (nothing was left open). */
      readonly complete: boolean;
      readonly repaired: boolean;
    }
  /** Rejected: the graph is unchanged. Failed: the news is kept for the next replan. */
  | (StepFailure & { readonly round: number });

/**
 * One replanning round: shows the model the news and the open tasks, validates its changes
 * (with one repair round), applies them, and declares the request complete when the model
 * says so and nothing is left open. A valid reply adding more tasks than a replan may is not
 * sent back: code cuts the new tasks into rounds of at most `maxNewTasksPerReplan` in
 * dependency order, as `batchStep` does for the root plan, and logs that it did.
 */
export async function replanStep(session: PlannerSession, signal: AbortSignal): Promise<ReplanOutcome> {
  const { graph, state, limits } = session;
  const round = state.batch + 1;
  const context = await session.context(signal);
  await session.publish([{ type: "plan-start", batch: round }], signal);
  const keys = keysById(state);
  const user = [
    `## Request\n\n${context.request}`,
    `## Your notes so far\n\n${state.scratchpad === "" ? "(none yet)" : state.scratchpad}`,
    `## Tasks\n\nCounts: ${renderCounts(graph)}\n\n${renderGraph(graph, keys)}`,
    `## News since you last looked\n\n${renderDelta(state.inbox)}`,
    `# Replan (round ${round})\n\nDecide what the news changes. Add at most ${limits.maxNewTasksPerReplan} tasks.`,
  ].join("\n\n");
  const earlierKeys = new Map(Object.entries(state.keys));
  const answer = await askSession(session, {
    schema: ReplanReplySchema,
    schemaName: "replan",
    system: session.prompts.render("replan", {
      maxNewTasks: limits.maxNewTasksPerReplan,
      maxFilesPerTask: limits.maxFilesPerTask,
    }),
    user,
    role: "planner",
    signal,
    validate: (reply) => {
      const verdict = validatePlan(
        graph,
        {
          add: reply.add,
          amend: reply.amend,
          cancel: reply.cancel.map((entry) => entry.id),
          retry: reply.retry,
          split: reply.split,
          complete: reply.complete,
        },
        { earlierKeys },
      );
      const tooDeep = reply.split
        .filter((id) => {
          const task = graph.get(id);
          return task !== undefined && splitDepth(graph, task) >= limits.maxSplitDepth;
        })
        .map((id) => `Cannot split ${id}: it is already at split depth ${limits.maxSplitDepth}, the limit.`);
      if (tooDeep.length === 0) return verdict;
      return { ok: false, problems: [...(verdict.ok ? [] : verdict.problems), ...tooDeep] };
    },
  });
  state.handoffsSinceReplan = 0;
  state.changedSinceReplan = false;
  if (!answer.ok) {
    if (answer.kind === "budget" || answer.kind === "failed") {
      await session.publish([], signal);
      return { kind: "failed", round, cause: answer.kind, problems: answer.problems };
    }
    await session.publish([{ type: "plan-reject", problems: [...answer.problems] }], signal);
    return { kind: "rejected", round, problems: answer.problems };
  }
  const reply = answer.value;
  const { resolved } = answer;
  const slices = splitBatch(resolved.add, limits.maxNewTasksPerReplan);
  const events: NewEvent[] = [];
  const added = addBatches(session, slices, round, () => state.planningDone);
  if (slices.length > 1) {
    const message = `The planner's reply for replan round ${round} added ${resolved.add.length} tasks, more than the ${limits.maxNewTasksPerReplan} one replan may add; they were split into rounds ${round} to ${added.last} in dependency order.`;
    events.push({ type: "log", level: "info", message, taskId: null });
  }
  events.push(...added.events, ...changeEvents(session, resolved, reply.cancel));
  state.batch = added.last;
  state.replans += 1;
  state.scratchpad = reply.scratchpad;
  state.seen += state.inbox.length;
  state.inbox = [];
  events.push(added.close);
  if (reply.complete) {
    state.complete = true;
    events.push({ type: "plan-complete", reason: reply.completenessCheck });
  }
  await session.publish(events, signal);
  const splits: SplitOutcome[] = [];
  for (const id of resolved.split) splits.push(...(await splitTask(session, id, signal)));
  for (const task of added.tasks) {
    if (needsSplit(graph, graph.require(task.id), limits))
      splits.push(...(await splitTask(session, task.id, signal)));
  }
  return {
    kind: "replanned",
    round,
    added: added.tasks,
    amended: resolved.amend.map((amendment) => amendment.id),
    cancelled: [...resolved.cancel],
    retried: [...resolved.retry],
    splits,
    complete: reply.complete,
    repaired: answer.repaired,
  };
}

/**
 * Applies the reply's amendments, cancellations and retries (after its new tasks were added, so
 * an amendment may depend on one of them by key) and returns their events.
 */
function changeEvents(
  session: PlannerSession,
  resolved: ResolvedProposal,
  cancel: readonly { readonly id: string; readonly reason: string }[],
): NewEvent[] {
  const { graph, state } = session;
  const newKeys = new Set(resolved.add.map((entry) => entry.key));
  const events: NewEvent[] = [];
  for (const amendment of resolved.amend) {
    const changes = { ...amendment.changes };
    if (changes.dependsOn !== undefined)
      changes.dependsOn = changes.dependsOn.map((ref) => (newKeys.has(ref) ? (state.keys[ref] ?? ref) : ref));
    events.push(...graph.amend(amendment.id, changes).events);
  }
  for (const entry of cancel) events.push(...transitionEvents(session, entry.id, "cancelled", entry.reason));
  for (const id of resolved.retry)
    events.push(...transitionEvents(session, id, "ready", "retried by the planner"));
  return events;
}

function transitionEvents(
  session: PlannerSession,
  id: string,
  to: "cancelled" | "ready",
  reason: string,
): NewEvent[] {
  const result = session.graph.transition(id, to, reason);
  // Validation checked every target's state, so an illegal move here is a bug.
  if (!result.ok) throw new InternalError(result.reason);
  return [result.event];
}
