import { HarnessKindSchema, SandboxKindSchema, sandboxKindNames, type VariableName } from "@longshot/core";
import { z } from "zod";
import { enginePieces } from "./internal/engine-pieces.js";

/**
 * Per-run settings an MCP client may choose when it starts a run. Each one overrides the
 * configuration variable named in its description, with the same precedence as a command-line
 * flag; everything else comes from the server's environment and `.env`, as for `longshot`.
 */
export const StartRunOptionsSchema = z
  .object({
    workers: enginePieces.maxWorkers.optional().describe("Tasks running at once (MAX_WORKERS)."),
    model: z.string().trim().min(1).optional().describe("Default model for every role (LLM_MODEL)."),
    workerModel: z.string().trim().min(1).optional().describe("Model for workers (LLM_WORKER_MODEL)."),
    sandbox: SandboxKindSchema.optional().describe(
      `Where tasks run: ${sandboxKindNames.join(", ")} (SANDBOX_PROVIDER).`,
    ),
    harness: HarnessKindSchema.optional().describe("Which agent runs tasks (WORKER_HARNESS)."),
    targetBranch: z
      .string()
      .trim()
      .min(1)
      .optional()
      .describe("Branch fast-forwarded when the run ends green (GIT_MAIN_BRANCH)."),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(20)
      .optional()
      .describe("Attempts per task before it goes back to the planner (TASK_MAX_ATTEMPTS)."),
    maxCostUsd: z
      .number()
      .min(0)
      .max(1_000_000)
      .optional()
      .describe("Stop planning and drain after spending this many US dollars (MAX_COST_USD)."),
    maxTokens: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Stop planning and drain after this many tokens (MAX_TOKENS)."),
    maxWallTimeSeconds: z
      .number()
      .int()
      .min(1)
      .max(31_536_000)
      .optional()
      .describe("Stop planning and drain after this many seconds (MAX_WALL_TIME)."),
    paused: z
      .boolean()
      .optional()
      .describe(
        "Start paused: the planner plans, no task starts until resume_run (useful to review or trim the plan first).",
      ),
    pr: z
      .boolean()
      .optional()
      .describe(
        "Open or update a pull request with the report instead of moving the target branch, as `longshot --pr` does (needs GITHUB_TOKEN and a GitHub remote).",
      ),
  })
  .strict();

export type StartRunOptions = z.infer<typeof StartRunOptionsSchema>;

const variables = {
  workers: "MAX_WORKERS",
  model: "LLM_MODEL",
  workerModel: "LLM_WORKER_MODEL",
  sandbox: "SANDBOX_PROVIDER",
  harness: "WORKER_HARNESS",
  targetBranch: "GIT_MAIN_BRANCH",
  maxAttempts: "TASK_MAX_ATTEMPTS",
  maxCostUsd: "MAX_COST_USD",
  maxTokens: "MAX_TOKENS",
  maxWallTimeSeconds: "MAX_WALL_TIME",
} as const satisfies Record<Exclude<keyof StartRunOptions, "paused" | "pr">, VariableName>;

/**
 * The options as configuration values, keyed by variable name: pass them as the highest
 * precedence source (`loadConfig({ flags: { ...cliFlags, ...startOptionsToConfig(options) }, env, dotenv })`).
 */
export function startOptionsToConfig(options: StartRunOptions): Partial<Record<VariableName, string>> {
  const values: Partial<Record<VariableName, string>> = {};
  for (const [key, variable] of Object.entries(variables) as [keyof typeof variables, VariableName][]) {
    const value = options[key];
    if (value !== undefined) values[variable] = String(value);
  }
  return values;
}
