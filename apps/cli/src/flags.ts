import { parseArgs } from "node:util";
import { UserError } from "@longshot/core/errors";
import { closestCommand } from "./suggest.js";

/** Flags every command accepts that set configuration variables (flags beat env and .env). */
const configFlags = {
  workers: "MAX_WORKERS",
  sandbox: "SANDBOX_PROVIDER",
  model: "LLM_MODEL",
  "planner-model": "LLM_PLANNER_MODEL",
  "worker-model": "LLM_WORKER_MODEL",
  "alt-worker-model": "LLM_ALT_WORKER_MODEL",
  "judge-model": "LLM_JUDGE_MODEL",
  "fixer-model": "LLM_FIXER_MODEL",
  "critic-model": "LLM_CRITIC_MODEL",
  harness: "WORKER_HARNESS",
  strategy: "MERGE_STRATEGY",
  "max-cost": "MAX_COST_USD",
  "max-tokens": "MAX_TOKENS",
  "max-time": "MAX_WALL_TIME",
  "base-url": "LLM_BASE_URL",
  branch: "GIT_MAIN_BRANCH",
  timeout: "WORKER_TIMEOUT",
  "drain-timeout": "DRAIN_TIMEOUT",
} as const;

/** The flag that sets a configuration variable, if there is one (`MAX_WORKERS` → `workers`). */
export function flagOf(variable: string): string | undefined {
  return Object.entries(configFlags).find(([, name]) => name === variable)?.[0];
}

const booleanFlags = [
  "help",
  "json",
  "dashboard",
  "no-dashboard",
  "reset",
  "debug",
  "html",
  "version",
  "pr",
  "yes",
  "http",
  "watch",
] as const;
const stringFlags = [
  "repo",
  "env-file",
  "out",
  "port",
  "token",
  "policy",
  "dir",
  "state",
  "label",
  "goal",
  "capabilities",
  "pace",
  "color",
  "speed",
  "repos",
  "watch-time",
] as const;

export interface ParsedFlags {
  readonly positionals: readonly string[];
  readonly config: Readonly<Record<string, string>>;
  readonly bool: Readonly<Record<(typeof booleanFlags)[number], boolean>>;
  readonly text: Readonly<Partial<Record<(typeof stringFlags)[number], string>>>;
}

/** Parses argv; an unknown flag or a missing value is a UserError naming the flag and `--help`. */
export function parseFlags(argv: readonly string[]): ParsedFlags {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const name of Object.keys(configFlags)) options[name] = { type: "string" };
  for (const name of stringFlags) options[name] = { type: "string" };
  for (const name of booleanFlags) options[name] = { type: "boolean" };
  options.help = { type: "boolean", short: "h" };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(
      `${flagError(message, argv, Object.keys(options))}; run longshot --help for the flags each command takes.`,
    );
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const config: Record<string, string> = {};
  for (const [flag, variable] of Object.entries(configFlags)) {
    const value = values[flag];
    if (typeof value === "string") config[variable] = value;
  }
  if (values.debug === true) config.LOG_LEVEL = "debug";
  const bool = Object.fromEntries(
    booleanFlags.map((name) => [name, values[name] === true]),
  ) as ParsedFlags["bool"];
  const text = Object.fromEntries(
    stringFlags.flatMap((name) => (typeof values[name] === "string" ? [[name, values[name]]] : [])),
  ) as ParsedFlags["text"];
  return { positionals: parsed.positionals, config, bool, text };
}

/**
 * What node:util's parseArgs refused, said as what to type instead: a mistyped flag with the
 * flag it is closest to, a value that is missing or starts with a dash, a switch given a value.
 */
function flagError(message: string, argv: readonly string[], names: readonly string[]): string {
  const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
  if (unknown !== undefined) {
    const close = unknown.startsWith("--") ? closestCommand(unknown.slice(2), names) : null;
    return `Unknown flag ${unknown}${close === null ? "" : ` (did you mean --${close}?)`}`;
  }
  const missing = /Option '(-\S+)(?: <value>)?' argument missing/.exec(message)?.[1];
  if (missing !== undefined) return `${missing} needs a value (${missing} <value>)`;
  const dashed = /Option '(-\S+)' argument is ambiguous/.exec(message)?.[1];
  if (dashed !== undefined) {
    const next = argv[argv.indexOf(dashed) + 1] ?? "";
    return `${dashed} needs a value, and the next argument ${next} starts with a dash; to give it as the value, write ${dashed}=${next}`;
  }
  const switchFlag = /Option '(-\S+)' does not take an argument/.exec(message)?.[1];
  if (switchFlag !== undefined)
    return `${switchFlag} is a switch and takes no value; write ${switchFlag} alone`;
  return message.split(/\. |\n/)[0] ?? message;
}
