import type { NewEvent, Task } from "@longshot/core";
import { SplitReplySchema } from "../plan-schema.js";
import { validatePlan } from "../validate-plan.js";
import { renderGraph, renderTask } from "./planner-messages.js";
import { askSession, keysById, needsSplit, type PlannerSession, splitDepth } from "./planner-session.js";

/** What became of a task a subplanner was asked to split. */
export type SplitOutcome =
  | {
      readonly kind: "split";
      readonly parentId: string;
      /** The tasks that replace the parent, after any deeper splits (none of them is split). */
      readonly tasks: readonly Task[];
    }
  | {
      /** The subplanner gave no usable split; the task stays one task. */
      readonly kind: "kept";
      readonly taskId: string;
      readonly cause: "invalid-plan" | "invalid-output" | "budget" | "failed";
      readonly problems: readonly string[];
    };

/**
 * Splits `taskId` with the subplanner and recursively splits children that still need it, up to
 * the depth limit. The parent becomes `split`, its dependents wait for all children. A valid
 * split into more than `maxSubtasks` tasks is kept whole (the prompt's limit is guidance, and
 * dropping or refusing work would lose it) and logged. A split the model cannot get right after
 * one repair round keeps the task whole and logs why.
 */
export async function splitTask(
  session: PlannerSession,
  taskId: string,
  signal: AbortSignal,
): Promise<SplitOutcome[]> {
  const task = session.graph.require(taskId);
  const { limits, graph } = session;
  const context = await session.context(signal);
  const system = session.prompts.render("split", {
    maxSubtasks: limits.maxSubtasks,
    maxFilesPerTask: limits.maxFilesPerTask,
  });
  const user = [
    `## Request\n\n${context.request}`,
    `## Repository files\n\n${context.tree.paths.join("\n") || "(no files yet)"}`,
    `## Tasks of the plan\n\n${renderGraph(graph, keysById(session.state))}`,
    `# Split ${task.id}\n\n${renderTask(task)}\n\nReplace ${task.id} with 2 to ${limits.maxSubtasks} subtasks (split depth ${splitDepth(graph, task) + 1} of at most ${limits.maxSplitDepth}).`,
  ].join("\n\n");
  const answer = await askSession(session, {
    schema: SplitReplySchema,
    schemaName: "split",
    system,
    user,
    role: "subplanner",
    taskId: task.id,
    signal,
    validate: (reply) => validatePlan(graph, { add: reply.tasks, replacing: task.id }, { minTasks: 2 }),
  });
  if (!answer.ok) {
    const event: NewEvent = {
      type: "log",
      level: "warn",
      taskId: task.id,
      message: `The subplanner could not split ${task.id}, so it stays one task: ${answer.problems.join(" ")}`,
    };
    await session.publish([event], signal);
    return [{ kind: "kept", taskId: task.id, cause: answer.kind, problems: answer.problems }];
  }
  const change = graph.replace(task.id, answer.resolved.add);
  const events: NewEvent[] = [...change.events];
  if (change.value.length > limits.maxSubtasks) {
    const message = `The subplanner split ${task.id} into ${change.value.length} tasks, more than the ${limits.maxSubtasks} a split should make; all ${change.value.length} were kept.`;
    events.unshift({ type: "log", level: "info", message, taskId: task.id });
  }
  await session.publish(events, signal);
  const outcomes: SplitOutcome[] = [];
  const leaves: Task[] = [];
  for (const child of change.value) {
    if (!needsSplit(graph, child, limits)) {
      leaves.push(child);
      continue;
    }
    const deeper = await splitTask(session, child.id, signal);
    outcomes.push(...deeper);
    // The first outcome is the child's own; its leaves already include deeper splits.
    const own = deeper[0];
    if (own?.kind === "split") leaves.push(...own.tasks);
    else leaves.push(graph.require(child.id));
  }
  return [{ kind: "split", parentId: task.id, tasks: leaves }, ...outcomes];
}
