import { createClaudeCodeParser } from "./claude-code-events.js";
import type { CliAdapter } from "./cli-adapter.js";
import { cliRunPlan } from "./cli-adapter-kit.js";

/**
 * Claude Code (`claude -p --output-format stream-json`) over the Anthropic Messages API at
 * `ANTHROPIC_BASE_URL` (the endpoint without its `/v1`). `CLAUDE_CONFIG_DIR` is the state
 * directory; telemetry, error reporting, the auto-updater and other non-essential traffic are
 * off. Permission prompts are skipped (`IS_SANDBOX=1` allows that as root): the Longshot
 * sandbox is the boundary.
 */
export const claudeCodeAdapter: CliAdapter = {
  name: "claude-code",
  defaultCommand: ["claude"],
  npmPackage: "@anthropic-ai/claude-code",
  npmVersion: "2.1.332",
  plan: (input) =>
    cliRunPlan(input, {
      args: [
        "-p",
        "--output-format",
        "stream-json",
        "--verbose",
        "--model",
        input.model,
        "--max-turns",
        String(input.maxTurns),
        "--dangerously-skip-permissions",
      ],
      keyEnv: "ANTHROPIC_API_KEY",
      env: {
        ANTHROPIC_BASE_URL: input.endpoint.baseUrl.replace(/\/v1\/?$/, ""),
        CLAUDE_CONFIG_DIR: input.stateDir,
        IS_SANDBOX: "1",
        DISABLE_TELEMETRY: "1",
        DISABLE_ERROR_REPORTING: "1",
        DISABLE_AUTOUPDATER: "1",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      },
    }),
  createParser: createClaudeCodeParser,
};
