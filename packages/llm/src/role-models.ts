import type { Config } from "@longshot/core";
import type { RoleModels } from "./model-client.js";

type ModelVariables =
  | "LLM_MODEL"
  | "LLM_PLANNER_MODEL"
  | "LLM_WORKER_MODEL"
  | "LLM_JUDGE_MODEL"
  | "LLM_FIXER_MODEL"
  | "LLM_ALT_WORKER_MODEL"
  | "LLM_CRITIC_MODEL";

/**
 * The model of each role: the planner's for planner and subplanners, the worker's for workers,
 * the fixer's (default: the worker's) for fix tasks, the judge's for the judge; LLM_MODEL for
 * any left unset. Critics read and judge like the judge, so they default to its model.
 */
export function roleModelsFromConfig(config: Pick<Config, ModelVariables>): RoleModels {
  const planner = config.LLM_PLANNER_MODEL ?? config.LLM_MODEL;
  const worker = config.LLM_WORKER_MODEL ?? config.LLM_MODEL;
  return {
    planner,
    subplanner: planner,
    worker,
    judge: config.LLM_JUDGE_MODEL ?? config.LLM_MODEL,
    fixer: config.LLM_FIXER_MODEL ?? worker,
    critic: config.LLM_CRITIC_MODEL ?? config.LLM_JUDGE_MODEL ?? config.LLM_MODEL,
  };
}

/** The model a task switches to after a failed or rejected attempt (pass it as `request.model`). */
export function alternateWorkerModel(config: Pick<Config, ModelVariables>): string {
  return config.LLM_ALT_WORKER_MODEL ?? config.LLM_WORKER_MODEL ?? config.LLM_MODEL;
}
