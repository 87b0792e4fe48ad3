import { z } from "zod";
import {
  HarnessKindSchema,
  MergeGateSchema,
  MergeStrategySchema,
  SandboxKindSchema,
  SandboxProviderSchema,
} from "./kind-schemas.js";
import { harnessKinds, mergeGates, mergeStrategies, oneOf, sandboxProviderNames } from "./kinds.js";

/**
 * One configuration variable: how to parse it from text, its default, and its documentation.
 * The list below is the single source of truth for the config type, `.env.example` (a test
 * fails when they drift) and the README's config table.
 */
export interface VariableSpec<T = unknown> {
  readonly name: string;
  readonly group: string;
  readonly description: string;
  /** Human wording of what a valid value looks like, used in error messages. */
  readonly expected: string;
  readonly schema: z.ZodType<T, string>;
  /** Text form of the default, as written in `.env.example`; undefined when unset by default. */
  readonly default: string | undefined;
  readonly secret: boolean;
}

function spec<N extends string, T, D extends string | undefined>(
  name: N,
  group: string,
  schema: z.ZodType<T, string>,
  expected: string,
  defaultText: D,
  description: string,
  secret = false,
): VariableSpec<T> & { readonly name: N; readonly default: D } {
  return { name, group, schema, expected, default: defaultText, description, secret };
}

const text = z.string().trim().min(1);
const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const num = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number)
    .pipe(z.number().min(min).max(max));
const bool = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(["true", "false", "1", "0", "yes", "no"]))
  .transform((value) => value === "true" || value === "1" || value === "yes");
const url = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/ }));
const json = <T>(schema: z.ZodType<T>) =>
  z
    .string()
    .transform((value, context) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        context.addIssue({ code: "custom", message: "not valid JSON" });
        return z.NEVER;
      }
    })
    .pipe(schema);

export const EndpointSchema = z.object({
  name: z.string().min(1),
  endpoint: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().default(""),
  weight: z.number().positive().default(1),
  maxConcurrency: z.number().int().positive().optional(),
  tokensPerMinute: z.number().int().positive().optional(),
  models: z.array(z.string()).optional(),
});
export type EndpointConfig = z.infer<typeof EndpointSchema>;

/** One entry of SANDBOX_ROUTES: a sandbox for tasks whose requirements it provides. */
export const SandboxRouteSchema = z
  .object({
    /** Requirements this route satisfies, such as `network` or `large`. */
    provides: z.array(z.string().trim().min(1)).min(1),
    sandbox: SandboxKindSchema,
    /** Limits on top of the run's SANDBOX_* settings. */
    network: z.boolean().optional(),
    cpuCores: z.number().min(0.1).max(256).optional(),
    memoryMb: z.number().int().min(64).max(1_048_576).optional(),
  })
  .strict();
export type SandboxRoute = z.infer<typeof SandboxRouteSchema>;

export const PriceSchema = z.object({
  input: z.number().min(0),
  output: z.number().min(0),
  cached: z.number().min(0).optional(),
});
export type Price = z.infer<typeof PriceSchema>;

export const McpServerSchema = z.union([
  z.object({ name: z.string().min(1), command: z.string().min(1), args: z.array(z.string()).default([]) }),
  z.object({ name: z.string().min(1), url: z.url() }),
]);
export type McpServerConfig = z.infer<typeof McpServerSchema>;

const duration = "a whole number of seconds";

export const variableSpecs = [
  // Target repository and git
  spec(
    "GIT_REPO_URL",
    "git",
    text,
    "a git URL or path",
    undefined,
    "Remote repository to work on (cloned into longshot's workspace); unset means the repository in the working directory.",
  ),
  spec(
    "GIT_MAIN_BRANCH",
    "git",
    text,
    "a branch name",
    "main",
    "Target branch, fast-forwarded to the integration branch when a run ends green.",
  ),
  spec(
    "GIT_BRANCH_PREFIX",
    "git",
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._/-]+\/$/),
    "a branch prefix ending in '/', such as longshot/",
    "longshot/",
    "Prefix of every branch longshot creates (`<prefix><run>/<task>`).",
  ),
  spec(
    "MERGE_STRATEGY",
    "git",
    MergeStrategySchema,
    oneOf(mergeStrategies),
    "rebase",
    "How finished task branches land on the integration branch.",
  ),
  spec(
    "MERGE_UNION_ADDITIONS",
    "git",
    bool,
    "true or false",
    "true",
    "Let the merge queue settle conflicts whose answer is certain (docs/decisions/0003): lines both sides only added are kept once each, in landing order (also when git merged them cleanly but twice); package.json is merged by key; lockfiles both sides changed are regenerated offline in a sandbox. Anything else, or a lockfile that cannot be regenerated, goes back to the task.",
  ),
  spec(
    "MERGE_RESOLVE_HUNKS",
    "git",
    bool,
    "true or false",
    "true",
    "Answer a conflict the queue cannot settle with one fixer-model call on just the conflicted hunks (both sides' intents and diffs shown), checked with the project's checks in a sandbox before it lands (docs/decisions/0013); the task runs again only when that fails. false: every such conflict runs the task again.",
  ),
  spec(
    "MERGE_GATE",
    "git",
    MergeGateSchema,
    oneOf(mergeGates),
    "none",
    "Check each candidate merge before the integration branch moves.",
  ),
  // Models
  spec(
    "LLM_BASE_URL",
    "models",
    url,
    "an http(s) URL such as https://api.openai.com/v1",
    undefined,
    "OpenAI-compatible endpoint (used when LLM_ENDPOINTS is unset).",
  ),
  spec("LLM_API_KEY", "models", z.string(), "an API key", undefined, "API key for LLM_BASE_URL.", true),
  spec(
    "LLM_ENDPOINTS",
    "models",
    json(z.array(EndpointSchema).min(1)),
    'a JSON list such as [{"name":"a","endpoint":"https://host/v1","apiKey":"…","weight":1}]',
    undefined,
    "Several endpoints with weights, optional maxConcurrency, tokensPerMinute and models; overrides LLM_BASE_URL.",
    true,
  ),
  spec("LLM_MODEL", "models", text, "a model name", "gpt-4.1", "Default model for every role."),
  spec(
    "LLM_MAX_TOKENS",
    "models",
    int(1, 10_000_000),
    "a whole number from 1 to 10000000",
    "65536",
    "Maximum completion tokens per model call.",
  ),
  spec("LLM_TEMPERATURE", "models", num(0, 2), "a number from 0 to 2", "0.7", "Sampling temperature."),
  spec(
    "LLM_PLANNER_MODEL",
    "models",
    text,
    "a model name",
    undefined,
    "Model for the planner and subplanners (default LLM_MODEL).",
  ),
  spec(
    "LLM_WORKER_MODEL",
    "models",
    text,
    "a model name",
    undefined,
    "Model for worker agents (default LLM_MODEL).",
  ),
  spec(
    "LLM_ALT_WORKER_MODEL",
    "models",
    text,
    "a model name",
    undefined,
    "Model a task switches to after a failed or rejected attempt (default LLM_WORKER_MODEL).",
  ),
  spec(
    "LLM_JUDGE_MODEL",
    "models",
    text,
    "a model name",
    undefined,
    "Model that reviews each handoff (default LLM_MODEL).",
  ),
  spec(
    "LLM_FIXER_MODEL",
    "models",
    text,
    "a model name",
    undefined,
    "Model for fix tasks (default LLM_WORKER_MODEL).",
  ),
  spec(
    "LLM_CRITIC_MODEL",
    "models",
    text,
    "a model name",
    undefined,
    "Model for critic tasks (default LLM_JUDGE_MODEL, then LLM_MODEL).",
  ),
  spec(
    "LLM_CONTEXT_TOKENS",
    "models",
    int(1024, 10_000_000),
    "a whole number from 1024 to 10000000",
    "128000",
    "Context window of the worker model; older turns are compacted before it fills.",
  ),
  spec(
    "LLM_REQUEST_TIMEOUT",
    "models",
    int(1, 86_400),
    duration,
    "600",
    "Seconds before a model call is abandoned and retried.",
  ),
  spec(
    "LLM_STREAM_IDLE_TIMEOUT",
    "models",
    int(1, 3600),
    duration,
    "60",
    "Seconds a stream may stay silent before it is aborted and retried.",
  ),
  spec(
    "LLM_MAX_RETRIES",
    "models",
    int(0, 100),
    "a whole number from 0 to 100",
    "8",
    "Retries of one model call (429, 5xx, timeouts) before it fails.",
  ),
  spec(
    "LLM_PRICES",
    "models",
    json(z.record(z.string(), PriceSchema)),
    'a JSON object such as {"gpt-4.1":{"input":2,"output":8,"cached":0.5}}',
    undefined,
    "USD per million tokens by model, added to the built-in price table.",
  ),
  // Workers and sandboxes
  spec(
    "MAX_WORKERS",
    "workers",
    int(1, 10_000),
    "a whole number from 1 to 10000",
    "50",
    "Tasks running at once.",
  ),
  spec(
    "WORKER_TIMEOUT",
    "workers",
    int(1, 86_400),
    duration,
    "1800",
    "Seconds one attempt may run before its sandbox is killed.",
  ),
  spec(
    "WORKER_HARNESS",
    "workers",
    HarnessKindSchema,
    oneOf(harnessKinds),
    "builtin",
    "Which agent runs tasks; an external CLI runs inside the sandbox and reaches models only through longshot's model gateway.",
  ),
  spec(
    "TASK_MAX_ATTEMPTS",
    "workers",
    int(1, 20),
    "a whole number from 1 to 20",
    "3",
    "Attempts per task before it goes back to the planner.",
  ),
  spec(
    "AGENT_MAX_TURNS",
    "workers",
    int(1, 1000),
    "a whole number from 1 to 1000",
    "60",
    "Model turns per attempt.",
  ),
  spec(
    "AGENT_STUCK_TIMEOUT",
    "workers",
    int(1, 86_400),
    duration,
    "300",
    "Seconds without tool progress before an attempt ends as stuck.",
  ),
  spec(
    "MCP_SERVERS",
    "workers",
    json(z.array(McpServerSchema)),
    'a JSON list such as [{"name":"docs","command":"docs-mcp","args":[]}]',
    undefined,
    "Extra tools for workers from MCP servers (stdio command or HTTP url).",
  ),
  spec(
    "SANDBOX_PROVIDER",
    "sandbox",
    SandboxProviderSchema,
    oneOf(sandboxProviderNames),
    "local",
    "Where tasks run: a git worktree under bubblewrap, a Docker container, or an E2B or Modal cloud sandbox; none runs agent commands unisolated on this machine (explicit opt-out).",
  ),
  spec(
    "SANDBOX_CPU_CORES",
    "sandbox",
    num(0.1, 256),
    "a number of cores from 0.1 to 256",
    "4",
    "CPU limit per sandbox (Docker, Modal; E2B pins commands to this many cores).",
  ),
  spec(
    "SANDBOX_MEMORY_MB",
    "sandbox",
    int(64, 1_048_576),
    "a whole number of megabytes from 64 to 1048576",
    "8192",
    "Memory limit per sandbox (Docker, Modal; for E2B, build the template with this much, see docker/e2b.toml).",
  ),
  spec(
    "SANDBOX_DISK_MB",
    "sandbox",
    int(16, 1_048_576),
    "a whole number of megabytes from 16 to 1048576",
    "2048",
    "Disk per sandbox: the size of its private /tmp and $HOME, and the largest file a command may write.",
  ),
  spec(
    "TASK_MAX_FILE_KB",
    "sandbox",
    int(1, 1_048_576),
    "a whole number of kilobytes from 1 to 1048576",
    "2048",
    "Largest file a task may hand off; a bigger one fails the attempt before the merge queue.",
  ),
  spec(
    "TASK_MAX_DIFF_KB",
    "sandbox",
    int(1, 4_194_304),
    "a whole number of kilobytes from 1 to 4194304",
    "8192",
    "Most new or changed content (in kilobytes) one task may hand off; more fails the attempt before the merge queue.",
  ),
  spec(
    "SANDBOX_IDLE_TIMEOUT",
    "sandbox",
    int(1, 86_400),
    duration,
    "300",
    "Seconds a sandbox may sit unused before it is destroyed.",
  ),
  spec("SANDBOX_NETWORK", "sandbox", bool, "true or false", "false", "Give sandboxes network access."),
  spec(
    "SANDBOX_PATH",
    "sandbox",
    text,
    "directories separated by ':'",
    undefined,
    "Directories put first on the PATH of local sandboxes and checks, such as where a CLI harness (codex, pi, opencode, claude) is installed; Docker sandboxes use the image's PATH.",
  ),
  spec(
    "PROCESS_SPAWNER",
    "sandbox",
    bool,
    "true or false",
    "true",
    "Start git and sandbox commands from a small spawner process instead of forking the orchestrator for each.",
  ),
  spec(
    "DOCKER_IMAGE",
    "sandbox",
    text,
    "an image reference",
    "longshot-worker:latest",
    "Worker image for the Docker provider (scripts/build-worker-image.sh; with --cli, the variant holding the CLI harnesses, longshot-worker-cli:latest).",
  ),
  spec(
    "E2B_API_KEY",
    "sandbox",
    text,
    "an E2B API key",
    undefined,
    "Key for the E2B provider; it stays in the orchestrator.",
    true,
  ),
  spec(
    "E2B_TEMPLATE",
    "sandbox",
    text,
    "an E2B template id",
    "longshot-worker",
    "E2B template to start sandboxes from.",
  ),
  spec(
    "MODAL_TOKEN_ID",
    "sandbox",
    text,
    "a Modal token id (ak-...)",
    undefined,
    "Token id for the Modal provider; it stays in the orchestrator.",
    true,
  ),
  spec(
    "MODAL_TOKEN_SECRET",
    "sandbox",
    text,
    "a Modal token secret (as-...)",
    undefined,
    "Token secret for the Modal provider; it stays in the orchestrator.",
    true,
  ),
  spec(
    "MODAL_APP",
    "sandbox",
    text,
    "a Modal app name",
    "longshot",
    "Modal app the sandboxes run in (created when missing).",
  ),
  spec(
    "MODAL_IMAGE",
    "sandbox",
    text,
    "a registry image reference",
    "node:24-bookworm-slim",
    "Base image of Modal sandboxes; longshot adds git, ripgrep and build tools on top (see docker/modal.md).",
  ),
  spec(
    "SANDBOX_ROUTES",
    "sandbox",
    json(z.array(SandboxRouteSchema)),
    'a JSON list such as [{"provides":["network"],"sandbox":"docker","network":true}]',
    undefined,
    "Where tasks with requirements run: each route names what it provides (network, large, ...), a provider and its limits; the first route providing all of a task's requirements wins.",
  ),
  // Health
  spec(
    "HEALTH_CHECK_INTERVAL",
    "health",
    int(1, 86_400),
    duration,
    "10",
    "Seconds between health sweeps of the integration branch.",
  ),
  spec(
    "INSTALL_COMMAND",
    "health",
    text,
    "a shell command",
    undefined,
    "Install step (detected from the lockfile when unset).",
  ),
  spec(
    "BUILD_COMMAND",
    "health",
    text,
    "a shell command",
    undefined,
    "Build check (detected from the repository when unset).",
  ),
  spec(
    "TYPECHECK_COMMAND",
    "health",
    text,
    "a shell command",
    undefined,
    "Typecheck check (detected when unset).",
  ),
  spec("LINT_COMMAND", "health", text, "a shell command", undefined, "Lint check (detected when unset)."),
  spec("TEST_COMMAND", "health", text, "a shell command", undefined, "Test check (detected when unset)."),
  spec(
    "HIDDEN_TESTS",
    "health",
    text,
    "a path inside the repository",
    undefined,
    "Acceptance tests held out of every sandbox and prompt, run only on the integration branch.",
  ),
  spec(
    "FINALIZATION_ENABLED",
    "health",
    bool,
    "true or false",
    "true",
    "Drain, sweep and fix until green when every task is done.",
  ),
  spec(
    "FINALIZATION_MAX_ATTEMPTS",
    "health",
    int(0, 100),
    "a whole number from 0 to 100",
    "3",
    "Finalization rounds before the run reports red.",
  ),
  // Critics
  spec(
    "CRITIC_EVERY",
    "critics",
    int(0, 100_000),
    "a whole number of landings (0 turns critics off)",
    "0",
    "Schedule read-only critic tasks after every this many landed tasks, and once more at finalization; 0 for never.",
  ),
  spec(
    "CRITICS",
    "critics",
    z
      .string()
      .trim()
      .transform((value) =>
        value
          .split(",")
          .map((entry) => entry.trim())
          .filter((entry) => entry !== ""),
      )
      .pipe(z.array(z.enum(["duplication", "coverage", "architecture", "performance"])).min(1)),
    "a comma-separated list of duplication, coverage, architecture, performance",
    "duplication,coverage,architecture,performance",
    "Which critics run: duplicated code, untested changes, drift from the architecture notes, benchmark regressions.",
  ),
  spec(
    "CRITIC_THRESHOLD",
    "critics",
    int(0, 100),
    "a whole number from 0 to 100",
    "50",
    "Findings at or above this severity become planned tasks; the rest are notes in the report.",
  ),
  spec(
    "BENCHMARK_COMMAND",
    "critics",
    text,
    "a shell command",
    undefined,
    "Benchmark the performance critic runs (default: the package.json bench script, if any).",
  ),
  // Budgets
  spec(
    "MAX_COST_USD",
    "budget",
    num(0, 1_000_000),
    "a number of US dollars",
    undefined,
    "Stop planning and drain when the run has spent this much.",
  ),
  spec(
    "MAX_TOKENS",
    "budget",
    int(1, Number.MAX_SAFE_INTEGER),
    "a whole number of tokens",
    undefined,
    "Stop planning and drain after this many tokens.",
  ),
  spec(
    "MAX_WALL_TIME",
    "budget",
    int(1, 31_536_000),
    duration,
    undefined,
    "Stop planning and drain after this many seconds.",
  ),
  spec(
    "DRAIN_TIMEOUT",
    "budget",
    int(1, 86_400),
    duration,
    "120",
    "Seconds a drain (first Ctrl+C, a budget reached) waits for running work before aborting it as a second Ctrl+C would.",
  ),
  spec(
    "TASK_MAX_COST_USD",
    "budget",
    num(0, 1_000_000),
    "a number of US dollars",
    undefined,
    "Cap per task.",
  ),
  spec(
    "TASK_MAX_TOKENS",
    "budget",
    int(1, Number.MAX_SAFE_INTEGER),
    "a whole number of tokens",
    undefined,
    "Cap per task.",
  ),
  // Output
  spec(
    "LOG_LEVEL",
    "output",
    z.enum(["debug", "info", "warn", "error"]),
    "one of debug, info, warn, error",
    "info",
    "Log level of the run log.",
  ),
  spec(
    "GITHUB_TOKEN",
    "github",
    text,
    "a GitHub token",
    undefined,
    "Token for pull requests and issue mode; it stays in the orchestrator.",
    true,
  ),
  spec(
    "GITHUB_POLL_INTERVAL",
    "github",
    int(5, 86_400),
    duration,
    "60",
    "Seconds between polls of `longshot github --watch` (longer after errors, shorter on a webhook).",
  ),
  spec(
    "GITHUB_WATCH_PARALLEL",
    "github",
    int(1, 64),
    "a whole number from 1 to 64",
    "1",
    "Runs `--watch` keeps going at once across repositories (one at a time per repository).",
  ),
  spec(
    "GITHUB_KILL_LABEL",
    "github",
    text,
    "a label name",
    "longshot-stop",
    "Kill switch: while an open issue or pull request carries this label, `--watch` drains its runs and starts nothing.",
  ),
  spec(
    "GITHUB_APPROVAL_LABEL",
    "github",
    text,
    "a label name",
    "longshot-proposed",
    "Label of issues filed by gap analysis; they run only once a person adds the build label.",
  ),
  spec(
    "GITHUB_ISSUE_MAX_COST_USD",
    "github",
    num(0, 1_000_000),
    "a number of US dollars",
    undefined,
    "Budget of one issue in `--watch`: its first run and every follow-up together.",
  ),
  spec(
    "GITHUB_DAILY_MAX_COST_USD",
    "github",
    num(0, 1_000_000),
    "a number of US dollars",
    undefined,
    "Budget of `--watch` per UTC day; runs wait for the next day once it is spent.",
  ),
  spec(
    "GITHUB_AUTO_MERGE",
    "github",
    bool,
    "true or false",
    "false",
    "Merge longshot's pull requests once every required check is green (never otherwise).",
  ),
  spec(
    "GITHUB_CAPABILITIES_FILE",
    "github",
    text,
    "a path inside the repository",
    "CAPABILITIES.md",
    "What the software can do, updated after each merged pull request of `--watch`.",
  ),
  spec(
    "GITHUB_GOAL_FILE",
    "github",
    text,
    "a path inside the repository",
    undefined,
    "Goal the gap analysis compares the capabilities with (default SPEC.md, else GOAL.md).",
  ),
  spec(
    "GITHUB_MAX_GAP_ISSUES",
    "github",
    int(0, 100),
    "a whole number from 0 to 100",
    "1",
    "Most issues one gap analysis files after a merge; 0 turns gap analysis off.",
  ),
  spec(
    "GITHUB_WEBHOOK_PORT",
    "github",
    int(0, 65_535),
    "a port number",
    undefined,
    "Port of the optional webhook receiver of `--watch` (deliveries wake the loop early).",
  ),
  spec(
    "GITHUB_WEBHOOK_SECRET",
    "github",
    text,
    "the webhook's secret",
    undefined,
    "Secret that signs webhook deliveries (X-Hub-Signature-256); required with GITHUB_WEBHOOK_PORT.",
    true,
  ),
] as const;

type Specs = typeof variableSpecs;
type SpecOf<N extends Specs[number]["name"]> = Extract<Specs[number], { name: N }>;
type ValueOf<S> = S extends VariableSpec<infer T> ? T : never;
type HasDefault<S> = S extends { default: string } ? true : false;

/** The validated configuration, keyed by variable name. */
export type Config = {
  readonly [N in Specs[number]["name"]]: HasDefault<SpecOf<N>> extends true
    ? ValueOf<SpecOf<N>>
    : ValueOf<SpecOf<N>> | undefined;
};

export type VariableName = Specs[number]["name"];
export const variableNames: readonly VariableName[] = variableSpecs.map((entry) => entry.name);
