import { type ContextLimits, defaultContextLimits } from "./planning-context.js";

/** The numbers that bound planning; they appear in the prompts as they are. */
export interface PlannerLimits {
  /** Most tasks in one batch of the root plan. */
  readonly tasksPerBatch: number;
  /** Output token limit of every planner reply. */
  readonly maxReplyTokens: number;
  /** Most batches of the root plan; planning ends after this many even if the model wants more. */
  readonly maxBatches: number;
  /** A task with more scope entries than this is split by a subplanner. */
  readonly maxFilesPerTask: number;
  /** How deep subplanners split (1: tasks are split once; children are never split again). */
  readonly maxSplitDepth: number;
  /** Most subtasks one split may produce. */
  readonly maxSubtasks: number;
  /** Replan after this many handoffs. */
  readonly replanEvery: number;
  /** Most tasks one replan may add. */
  readonly maxNewTasksPerReplan: number;
  readonly context: ContextLimits;
}

/** `PlannerLimits` with every field optional. */
export type PlannerLimitsInput = Partial<Omit<PlannerLimits, "context">> & {
  readonly context?: Partial<ContextLimits>;
};

export const defaultPlannerLimits: PlannerLimits = {
  tasksPerBatch: 50,
  maxReplyTokens: 16_000,
  maxBatches: 40,
  maxFilesPerTask: 8,
  maxSplitDepth: 2,
  maxSubtasks: 8,
  replanEvery: 5,
  maxNewTasksPerReplan: 20,
  context: defaultContextLimits,
};

/** Fills unset limits with the defaults. */
export function resolvePlannerLimits(input: PlannerLimitsInput = {}): PlannerLimits {
  const { context, ...rest } = input;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  return {
    ...defaultPlannerLimits,
    ...defined,
    context: {
      ...defaultContextLimits,
      ...Object.fromEntries(Object.entries(context ?? {}).filter(([, value]) => value !== undefined)),
    },
  };
}
