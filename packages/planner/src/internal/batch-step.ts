import type { NewEvent } from "@longshot/core";
import { PlanBatchReplySchema } from "../plan-schema.js";
import { renderPlanningContext } from "../planning-context.js";
import { validatePlan } from "../validate-plan.js";
import { addBatches } from "./add-batches.js";
import type { StepFailure } from "./ask-model.js";
import { batchMessage, renderDelta, renderGraph } from "./planner-messages.js";
import { askSession, keysById, needsSplit, type PlannerSession } from "./planner-session.js";
import { splitBatch } from "./split-batch.js";
import { type SplitOutcome, splitTask } from "./split-task.js";

/** What one step of the root plan produced. */
export type PlanProgress =
  | {
      readonly kind: "batch";
      /** The last batch number the reply took (a reply over `tasksPerBatch` fills several). */
      readonly batch: number;
      /** The tasks of the reply as the model proposed them (some may since be split). */
      readonly taskIds: readonly string[];
      readonly splits: readonly SplitOutcome[];
      /** True for the last batch of the root plan. */
      readonly final: boolean;
      readonly repaired: boolean;
    }
  /** Rejected: the plan is rejected for good. Failed: planning again retries this batch. */
  | (StepFailure & { readonly batch: number });

/**
 * One batch of the root plan: asks for at most `tasksPerBatch` tasks building on the graph so
 * far, validates them (one repair round), adds them and publishes their events, then splits
 * the ones that need it. A valid reply with more tasks than a batch holds is not sent back:
 * code cuts it into consecutive batches in dependency order (each with its `plan-start` and
 * `plan-batch`) and logs that it did. A batch still invalid after the repair rejects the plan
 * for good.
 */
export async function batchStep(session: PlannerSession, signal: AbortSignal): Promise<PlanProgress> {
  const { graph, state, limits } = session;
  const batch = state.batch + 1;
  const context = await session.context(signal);
  await session.publish([{ type: "plan-start", batch }], signal);
  const system = session.prompts.render("plan", {
    tasksPerBatch: limits.tasksPerBatch,
    maxReplyTokens: limits.maxReplyTokens,
    maxFilesPerTask: limits.maxFilesPerTask,
  });
  const user = batchMessage({
    context: renderPlanningContext(context),
    batch,
    scratchpad: state.scratchpad,
    graph: renderGraph(graph, keysById(state)),
    delta: renderDelta(state.inbox),
    tasksPerBatch: limits.tasksPerBatch,
  });
  const earlierKeys = new Map(Object.entries(state.keys));
  const answer = await askSession(session, {
    schema: PlanBatchReplySchema,
    schemaName: "plan_batch",
    system,
    user,
    role: "planner",
    signal,
    validate: (reply) => validatePlan(graph, { add: reply.tasks }, { earlierKeys }),
  });
  if (!answer.ok) {
    if (answer.kind === "budget" || answer.kind === "failed") {
      const message = `Planning batch ${batch} failed (${answer.kind}): ${answer.problems.join(" ")}`;
      await session.publish([{ type: "log", level: "warn", message, taskId: null }], signal);
      return { kind: "failed", batch, cause: answer.kind, problems: answer.problems };
    }
    state.rejection = { stage: `batch ${batch}`, problems: [...answer.problems] };
    await session.publish([{ type: "plan-reject", problems: [...answer.problems] }], signal);
    return { kind: "rejected", batch, problems: answer.problems };
  }
  const chunks = splitBatch(answer.resolved.add, limits.tasksPerBatch);
  const last = batch + chunks.length - 1;
  const capped = answer.value.more && last >= limits.maxBatches;
  const final = !answer.value.more || capped;
  const events: NewEvent[] = [];
  if (chunks.length > 1) {
    const message = `The planner's reply for batch ${batch} held ${answer.resolved.add.length} tasks, more than the ${limits.tasksPerBatch} a batch may hold; it was split into batches ${batch} to ${last} in dependency order.`;
    events.push({ type: "log", level: "info", message, taskId: null });
  }
  const added = addBatches(session, chunks, batch, (index) => final && index === chunks.length - 1);
  events.push(...added.events, added.close);
  const taskIds = added.tasks.map((task) => task.id);
  state.batch = last;
  state.scratchpad = answer.value.scratchpad;
  state.seen += state.inbox.length;
  state.inbox = [];
  state.planningDone = final;
  if (final) state.changedSinceReplan = true;
  if (capped) {
    const message = `The root plan stopped at the limit of ${limits.maxBatches} batches; replanning continues from here.`;
    events.push({ type: "log", level: "warn", message, taskId: null });
  }
  await session.publish(events, signal);
  const splits: SplitOutcome[] = [];
  for (const id of taskIds) {
    if (needsSplit(graph, graph.require(id), limits)) splits.push(...(await splitTask(session, id, signal)));
  }
  return { kind: "batch", batch: last, taskIds, splits, final, repaired: answer.repaired };
}
