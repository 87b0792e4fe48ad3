import { type ConfigSources, type LoadedConfig, loadConfig } from "./config.js";
import type { Config, VariableName } from "./config-spec.js";

/**
 * The variables that make a run what it is: workers, budgets, models of every role, harness,
 * sandbox and its limits, merge strategy and conflict handling, checks, critics and held-out
 * tests. A run records them when it starts, and `resume` restores them. The rest are
 * `hostSettingNames`: every variable is exactly one of the two (a test checks it).
 */
export const runSettingNames = [
  "GIT_MAIN_BRANCH",
  "GIT_BRANCH_PREFIX",
  "MERGE_STRATEGY",
  "MERGE_UNION_ADDITIONS",
  "MERGE_RESOLVE_HUNKS",
  "MERGE_GATE",
  "LLM_MODEL",
  "LLM_MAX_TOKENS",
  "LLM_TEMPERATURE",
  "LLM_PLANNER_MODEL",
  "LLM_WORKER_MODEL",
  "LLM_ALT_WORKER_MODEL",
  "LLM_JUDGE_MODEL",
  "LLM_FIXER_MODEL",
  "LLM_CRITIC_MODEL",
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
  "SANDBOX_DISK_MB",
  "TASK_MAX_FILE_KB",
  "TASK_MAX_DIFF_KB",
  "SANDBOX_NETWORK",
  "SANDBOX_ROUTES",
  "DOCKER_IMAGE",
  "E2B_TEMPLATE",
  "MODAL_APP",
  "MODAL_IMAGE",
  "HEALTH_CHECK_INTERVAL",
  "INSTALL_COMMAND",
  "BUILD_COMMAND",
  "TYPECHECK_COMMAND",
  "LINT_COMMAND",
  "TEST_COMMAND",
  "HIDDEN_TESTS",
  "FINALIZATION_ENABLED",
  "FINALIZATION_MAX_ATTEMPTS",
  "CRITIC_EVERY",
  "CRITICS",
  "CRITIC_THRESHOLD",
  "BENCHMARK_COMMAND",
  "MAX_COST_USD",
  "MAX_TOKENS",
  "MAX_WALL_TIME",
  "TASK_MAX_COST_USD",
  "TASK_MAX_TOKENS",
] as const satisfies readonly VariableName[];

export type RunSettingName = (typeof runSettingNames)[number];

/**
 * The variables that are not part of a run: where the repository and the model endpoints live,
 * keys and prices, transport timeouts and retries, what is installed on this machine (MCP
 * servers, `SANDBOX_PATH`, the process spawner, the gateway's public address), idle and drain timeouts, log output, and the
 * GitHub watcher. A resumed run takes them from wherever the resuming process finds them.
 */
export const hostSettingNames = [
  "GIT_REPO_URL",
  "GATEWAY_PUBLIC_URL",
  "GATEWAY_LISTEN",
  "LLM_BASE_URL",
  "LLM_API_KEY",
  "LLM_ENDPOINTS",
  "LLM_REQUEST_TIMEOUT",
  "LLM_STREAM_IDLE_TIMEOUT",
  "LLM_MAX_RETRIES",
  "LLM_PRICES",
  "MCP_SERVERS",
  "SANDBOX_IDLE_TIMEOUT",
  "SANDBOX_PATH",
  "PROCESS_SPAWNER",
  "E2B_API_KEY",
  "MODAL_TOKEN_ID",
  "MODAL_TOKEN_SECRET",
  "DRAIN_TIMEOUT",
  "LOG_LEVEL",
  "GITHUB_TOKEN",
  "GITHUB_POLL_INTERVAL",
  "GITHUB_WATCH_PARALLEL",
  "GITHUB_KILL_LABEL",
  "GITHUB_APPROVAL_LABEL",
  "GITHUB_ISSUE_MAX_COST_USD",
  "GITHUB_DAILY_MAX_COST_USD",
  "GITHUB_AUTO_MERGE",
  "GITHUB_CAPABILITIES_FILE",
  "GITHUB_GOAL_FILE",
  "GITHUB_MAX_GAP_ISSUES",
  "GITHUB_WEBHOOK_PORT",
  "GITHUB_WEBHOOK_SECRET",
] as const satisfies readonly VariableName[];

/**
 * The run settings of a configuration as text that parses back to the same value, one entry per
 * run setting: a list of words (CRITICS) as the comma-separated list it was given as, other
 * structures as JSON; an unset variable is recorded as "" so that a resume keeps it unset.
 */
export function runSettingsOf(config: Config): Record<RunSettingName, string> {
  const settings = {} as Record<RunSettingName, string>;
  for (const name of runSettingNames) {
    const value: unknown = config[name];
    if (value === undefined || value === null) settings[name] = "";
    else if (Array.isArray(value) && value.length > 0 && value.every((entry) => typeof entry === "string"))
      settings[name] = value.join(",");
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
