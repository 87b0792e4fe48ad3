import type { NewEvent, Task } from "@longshot/core";
import type { LanguageModel } from "@longshot/llm";
import type { z } from "zod";
import type { PlannerLimits } from "../planner-limits.js";
import type { PlannerState } from "../planner-state.js";
import type { PlanningContext } from "../planning-context.js";
import type { PromptLibrary } from "../prompt-library.js";
import type { TaskGraph } from "../task-graph.js";
import { type AskRequest, type AskResult, askModel } from "./ask-model.js";

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

/** A model call of a planner step: its system prompt and one user message. */
export type SessionAsk<S extends z.ZodType, R> = Pick<
  AskRequest<S, R>,
  "schema" | "schemaName" | "role" | "taskId" | "signal" | "validate"
> & { readonly system: string; readonly user: string };

/** Asks the session's model (see `askModel`), within the planner's reply budget, for the session's run. */
export function askSession<S extends z.ZodType, R>(
  session: PlannerSession,
  ask: SessionAsk<S, R>,
): Promise<AskResult<z.output<S>, R>> {
  const { system, user, ...rest } = ask;
  return askModel({
    ...rest,
    model: session.model,
    prompts: session.prompts,
    messages: [
      { role: "system", content: system },
      { role: "user", content: user },
    ],
    maxTokens: session.limits.maxReplyTokens,
    runId: session.runId,
  });
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
