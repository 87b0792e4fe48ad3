import type { NewEvent, Task } from "@longshot/core";
import type { LanguageModel } from "@longshot/llm";
import type { PlannerLimits } from "../planner-limits.js";
import type { PlannerState } from "../planner-state.js";
import type { PlanningContext } from "../planning-context.js";
import type { PromptLibrary } from "../prompt-library.js";
import type { TaskGraph } from "../task-graph.js";

/** What the planner's steps share: collaborators, the live graph, and the mutable state. */
export interface PlannerSession {
  readonly runId: string;
  readonly model: LanguageModel;
  readonly prompts: PromptLibrary;
  readonly graph: TaskGraph;
  readonly limits: PlannerLimits;
  /** Mutated in place by the steps; `graph` inside it is refreshed on every save. */
  readonly state: PlannerState;
  /** Saves the state, then emits the events in order. */
  publish(events: readonly NewEvent[], signal: AbortSignal): Promise<void>;
  /** The repository context, gathered once per planner instance. */
  context(signal: AbortSignal): Promise<PlanningContext>;
}

/** The planner's own task keys by task id, for showing the graph to the model. */
export function keysById(state: PlannerState): Map<string, string> {
  return new Map(Object.entries(state.keys).map(([key, id]) => [id, key]));
}

/** How many splits led to `task` (0 for a task of the root plan). */
export function splitDepth(graph: TaskGraph, task: Task): number {
  let depth = 0;
  let parentId = task.parentId;
  while (parentId !== null) {
    depth++;
    parentId = graph.get(parentId)?.parentId ?? null;
  }
  return depth;
}

/** Whether a subplanner should split `task`: composite or too wide, and not yet too deep. */
export function needsSplit(graph: TaskGraph, task: Task, limits: PlannerLimits): boolean {
  if (!["pending", "ready", "failed", "reverted"].includes(task.state)) return false;
  if (splitDepth(graph, task) >= limits.maxSplitDepth) return false;
  return task.composite || task.scope.length > limits.maxFilesPerTask;
}
