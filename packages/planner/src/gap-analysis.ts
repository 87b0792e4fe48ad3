import { ManualClock } from "@longshot/core";
import type { LanguageModel } from "@longshot/llm";
import { askModel } from "./internal/ask-model.js";
import { GapAnalysisReplySchema } from "./plan-schema.js";
import { loadPrompts, type PromptLibrary } from "./prompt-library.js";
import { type KeyedTaskSpec, TaskGraph } from "./task-graph.js";
import { validatePlan } from "./validate-plan.js";

export interface GapAnalysisOptions {
  /** What the project should become (a goal document). */
  readonly goal: string;
  /** What the project can do today (a capabilities document). */
  readonly capabilities: string;
  readonly model: LanguageModel;
  readonly runId: string;
  readonly signal: AbortSignal;
  /** Existing tasks the proposals may depend on (by id) and must not collide with. */
  readonly graph?: TaskGraph;
  /** Most tasks to propose; default 10. */
  readonly maxTasks?: number;
  /** Most files or globs in one task's scope; default 8. */
  readonly maxFilesPerTask?: number;
  /** Output token limit of the reply; default 16000. */
  readonly maxReplyTokens?: number;
  readonly prompts?: PromptLibrary;
}

/** Proposed next tasks, validated like any plan, or why there are none. */
export type GapAnalysisResult =
  | {
      readonly ok: true;
      readonly summary: string;
      /** Add them with `graph.addAll(tasks)`; dependencies name keys or existing ids. */
      readonly tasks: readonly KeyedTaskSpec[];
      readonly repaired: boolean;
    }
  | {
      readonly ok: false;
      readonly kind: "invalid-plan" | "invalid-output" | "budget" | "failed";
      readonly problems: readonly string[];
    };

/**
 * Goal versus capabilities: asks the planner model where the capabilities fall short of the
 * goal and which tasks to do next. The proposal is validated like a plan batch (one repair
 * round) but not added anywhere. Throws `AbortError` when the signal aborts.
 */
export async function gapAnalysis(options: GapAnalysisOptions): Promise<GapAnalysisResult> {
  const prompts = options.prompts ?? (await loadPrompts(options.signal));
  const maxTasks = options.maxTasks ?? 10;
  const maxFilesPerTask = options.maxFilesPerTask ?? 8;
  const graph =
    options.graph ??
    new TaskGraph({ runId: options.runId, branchPrefix: "longshot/", clock: new ManualClock() });
  const user = [
    `## Goal\n\n${options.goal}`,
    `## Capabilities today\n\n${options.capabilities}`,
    `# Gap analysis\n\nPropose at most ${maxTasks} next tasks.`,
  ].join("\n\n");
  const answer = await askModel({
    model: options.model,
    prompts,
    schema: GapAnalysisReplySchema,
    schemaName: "gap_analysis",
    messages: [
      { role: "system", content: prompts.render("gap-analysis", { maxTasks, maxFilesPerTask }) },
      { role: "user", content: user },
    ],
    maxTokens: options.maxReplyTokens ?? 16_000,
    role: "planner",
    runId: options.runId,
    signal: options.signal,
    validate: (reply) => validatePlan(graph, { add: reply.tasks }, { maxTasks, minTasks: 1 }),
  });
  if (!answer.ok) return answer;
  return { ok: true, summary: answer.value.summary, tasks: answer.resolved.add, repaired: answer.repaired };
}
