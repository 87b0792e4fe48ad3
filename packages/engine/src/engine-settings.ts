import type { Config } from "@longshot/core";
import { sandboxLimitsFromConfig } from "@longshot/sandbox";
import type { EngineSettings } from "./run-types.js";

/** Engine settings from the configuration. */
export function engineSettings(config: Config): EngineSettings {
  const worker = config.LLM_WORKER_MODEL ?? config.LLM_MODEL;
  return {
    maxWorkers: config.MAX_WORKERS,
    maxAttempts: config.TASK_MAX_ATTEMPTS,
    // A conflict is not the model's fault: with n workers racing on one file a task may lose up
    // to n - 1 rounds before it lands, so the allowance grows with the pool (4 to 10).
    maxConflictRetries: Math.min(10, Math.max(4, config.MAX_WORKERS)),
    workerTimeoutMs: config.WORKER_TIMEOUT * 1000,
    workerModel: worker,
    altWorkerModel: config.LLM_ALT_WORKER_MODEL ?? worker,
    fixerModel: config.LLM_FIXER_MODEL ?? worker,
    sandboxLimits: sandboxLimitsFromConfig(config),
    branchPrefix: config.GIT_BRANCH_PREFIX,
    maxWallTimeMs: config.MAX_WALL_TIME === undefined ? null : config.MAX_WALL_TIME * 1000,
    finalization: config.FINALIZATION_ENABLED,
    finalizationMaxAttempts: config.FINALIZATION_MAX_ATTEMPTS,
  };
}
