import { type ConfigSources, type LoadedConfig, loadConfig } from "./config.js";
import type { Config, VariableName } from "./config-spec.js";

/**
 * The variables that make a run what it is: workers, budgets, models, harness, sandbox, merge
 * strategy, checks and held-out tests. A run records them when it starts, and `resume` restores
 * them. Where the repository and the model endpoints live, keys, and log output are not part of
 * a run: they come from wherever the resuming process finds them.
 */
export const runSettingNames = [
  "GIT_MAIN_BRANCH",
  "GIT_BRANCH_PREFIX",
  "MERGE_STRATEGY",
  "MERGE_UNION_ADDITIONS",
  "MERGE_GATE",
  "LLM_MODEL",
  "LLM_MAX_TOKENS",
  "LLM_TEMPERATURE",
  "LLM_PLANNER_MODEL",
  "LLM_WORKER_MODEL",
  "LLM_ALT_WORKER_MODEL",
  "LLM_JUDGE_MODEL",
  "LLM_FIXER_MODEL",
  "LLM_CONTEXT_TOKENS",
  "MAX_WORKERS",
  "WORKER_TIMEOUT",
  "WORKER_HARNESS",
  "TASK_MAX_ATTEMPTS",
  "AGENT_MAX_TURNS",
  "AGENT_STUCK_TIMEOUT",
  "SANDBOX_PROVIDER",
  "SANDBOX_CPU_CORES",
  "SANDBOX_MEMORY_MB",
  "SANDBOX_NETWORK",
  "SANDBOX_ROUTES",
  "DOCKER_IMAGE",
  "E2B_TEMPLATE",
  "MODAL_APP",
  "MODAL_IMAGE",
  "INSTALL_COMMAND",
  "BUILD_COMMAND",
  "TYPECHECK_COMMAND",
  "LINT_COMMAND",
  "TEST_COMMAND",
  "HIDDEN_TESTS",
  "FINALIZATION_ENABLED",
  "FINALIZATION_MAX_ATTEMPTS",
  "MAX_COST_USD",
  "MAX_TOKENS",
  "MAX_WALL_TIME",
  "TASK_MAX_COST_USD",
  "TASK_MAX_TOKENS",
] as const satisfies readonly VariableName[];

export type RunSettingName = (typeof runSettingNames)[number];

/**
 * The run settings of a configuration as text, one entry per run setting; an unset variable is
 * recorded as "" so that a resume keeps it unset.
 */
export function runSettingsOf(config: Config): Record<RunSettingName, string> {
  const settings = {} as Record<RunSettingName, string>;
  for (const name of runSettingNames) {
    const value: unknown = config[name];
    if (value === undefined || value === null) settings[name] = "";
    else settings[name] = typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  return settings;
}

/** A run setting given to `resume` that differs from what the run recorded. */
export interface SettingOverride {
  readonly name: RunSettingName;
  /** As recorded ("" when it was unset). */
  readonly recorded: string;
  readonly now: string;
}

export interface ResumedConfig extends LoadedConfig {
  readonly overrides: readonly SettingOverride[];
}

/**
 * The configuration of a resumed run: the run's recorded settings win over the environment and
 * `.env`, and only flags given to `resume` (in `sources.flags`) override them. Settings the run
 * did not record (runs from older versions) come from the sources as usual. Throws `UserErrors`
 * like `loadConfig`.
 */
export function resumeConfig(
  recorded: Readonly<Record<string, string>>,
  sources: ConfigSources,
): ResumedConfig {
  const flags = sources.flags ?? {};
  const kept: Record<string, string> = {};
  for (const name of runSettingNames) {
    const value = recorded[name];
    if (value !== undefined && value !== "") kept[name] = value;
  }
  const loaded = loadConfig({ ...sources, flags: { ...kept, ...flags } });
  const config = { ...loaded.config } as Record<string, unknown>;
  const origins = { ...loaded.origins } as Record<string, LoadedConfig["origins"][VariableName]>;
  for (const name of runSettingNames) {
    if (recorded[name] !== "" || flagged(flags, name)) continue;
    // Unset when the run started: the environment does not get to set it now.
    config[name] = undefined;
    origins[name] = undefined;
  }
  const now = runSettingsOf(config as Config);
  const overrides = runSettingNames
    .filter((name) => flagged(flags, name) && recorded[name] !== undefined && recorded[name] !== now[name])
    .map((name) => ({ name, recorded: recorded[name]!, now: now[name] }));
  return {
    config: config as Config,
    origins: origins as LoadedConfig["origins"],
    secrets: loaded.secrets,
    overrides,
  };
}

function flagged(flags: Readonly<Record<string, string | undefined>>, name: string): boolean {
  const value = flags[name];
  return value !== undefined && value.trim() !== "";
}
