import { TaskSizeSchema } from "@longshot/core";
import { z } from "zod";

/**
 * One task as the model proposes it. Every field is required (no defaults) so the JSON Schema
 * works with strict structured outputs; the model names tasks by `key`, code assigns ids.
 */
export const PlannedTaskSchema = z.object({
  key: z
    .string()
    .min(1)
    .max(80)
    .describe("Short unique name of the task within this reply, such as db-schema; not an id like t0001."),
  title: z.string().min(1).max(200).describe("Imperative title, at most 200 characters."),
  description: z.string().min(1).describe("What to build and why, with the details a worker needs."),
  acceptance: z.array(z.string().min(1)).describe("Checks that prove the task is done."),
  scope: z.array(z.string()).describe("Files or globs the task may touch; never empty."),
  dependsOn: z
    .array(z.string())
    .describe("Keys of tasks in this reply, or ids (t0001) of existing tasks, that must land first."),
  priority: z.number().int().min(0).max(100).describe("0 to 100; higher runs first among ready tasks."),
  size: TaskSizeSchema.describe("Size estimate: xs, s, m, l or xl."),
  composite: z.boolean().describe("True when the task is too large for one worker and must be split."),
});
export type PlannedTask = z.infer<typeof PlannedTaskSchema>;

/** One batch (sprint) of the root plan. */
export const PlanBatchReplySchema = z.object({
  scratchpad: z
    .string()
    .describe("Your notes for later batches: the overall shape of the plan and what is left."),
  phase: z.string().describe("Name of this batch, such as foundation or build-out."),
  tasks: z.array(PlannedTaskSchema),
  more: z.boolean().describe("True when further batches must follow this one."),
});
export type PlanBatchReply = z.infer<typeof PlanBatchReplySchema>;

/** A subplanner's split of one task. */
export const SplitReplySchema = z.object({
  tasks: z.array(PlannedTaskSchema).describe("The subtasks replacing the task, at least two."),
});
export type SplitReply = z.infer<typeof SplitReplySchema>;

export const PlannedAmendmentSchema = z.object({
  id: z.string().describe("Id of a pending task, such as t0042."),
  title: z.string().min(1).max(200).nullable(),
  description: z.string().min(1).nullable(),
  acceptance: z.array(z.string().min(1)).nullable(),
  scope: z.array(z.string()).nullable(),
  dependsOn: z.array(z.string()).nullable(),
  priority: z.number().int().min(0).max(100).nullable(),
});
/** A change to a pending task; `null` leaves a field as it is. */
export type PlannedAmendment = z.infer<typeof PlannedAmendmentSchema>;

/** The planner's answer to a delta of handoffs, failures, merges and build health. */
export const ReplanReplySchema = z.object({
  scratchpad: z.string().describe("Your updated notes."),
  add: z.array(PlannedTaskSchema).describe("New tasks."),
  amend: z.array(PlannedAmendmentSchema).describe("Changes to pending tasks."),
  cancel: z
    .array(z.object({ id: z.string(), reason: z.string().min(1) }))
    .describe("Pending or failed tasks that are no longer needed."),
  retry: z.array(z.string()).describe("Ids of failed tasks to run again as they are."),
  split: z
    .array(z.string())
    .describe("Ids of pending or failed tasks too large for one worker, to be split by a subplanner."),
  complete: z.boolean().describe("True only when the request is fully met and nothing is left to do."),
  completenessCheck: z.string().describe("How you checked the request against what has landed."),
});
export type ReplanReply = z.infer<typeof ReplanReplySchema>;

/** Gap analysis: where the capabilities fall short of the goal, and the next tasks. */
export const GapAnalysisReplySchema = z.object({
  summary: z.string().describe("The gaps between the goal and the capabilities, briefly."),
  tasks: z.array(PlannedTaskSchema).describe("The next tasks that close the most important gaps."),
});
export type GapAnalysisReply = z.infer<typeof GapAnalysisReplySchema>;
