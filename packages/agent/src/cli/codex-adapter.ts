import type { CliAdapter, CliPlanInput } from "./cli-adapter.js";
import { cliRunPlan } from "./cli-adapter-kit.js";
import { createCodexParser } from "./codex-events.js";

/** Where Codex reads the gateway token: config.toml names it, the plan sets it. */
const codexKeyEnv = "LONGSHOT_CODEX_API_KEY";

/**
 * OpenAI Codex CLI (`codex exec --json`) over the Responses API. Its config lives in
 * `CODEX_HOME` (the state directory): a `longshot` model provider pointing at the endpoint,
 * approvals off, its own sandbox off (the Longshot sandbox is the boundary), analytics,
 * feedback, update checks, web search, plugin and app sync, telemetry export and history off.
 * The gateway token is read from an env var.
 */
export const codexAdapter: CliAdapter = {
  name: "codex",
  defaultCommand: ["codex"],
  npmPackage: "@openai/codex",
  npmVersion: "0.169.0",
  plan: (input) =>
    cliRunPlan(input, {
      args: [
        "exec",
        "--json",
        "--ephemeral",
        "--skip-git-repo-check",
        "--color",
        "never",
        "-C",
        input.workdir,
        "--model",
        input.model,
      ],
      keyEnv: codexKeyEnv,
      env: { CODEX_HOME: input.stateDir },
      files: [{ name: "config.toml", content: codexConfig(input) }],
    }),
  createParser: createCodexParser,
};

const offFeatures = [
  "plugins",
  "remote_plugin",
  "plugin_sharing",
  "apps",
  "image_generation",
  "browser_use",
  "computer_use",
  "in_app_browser",
  "skill_mcp_dependency_install",
  "tool_suggest",
  "unbounded_connection_retries",
];

function codexConfig(input: CliPlanInput): string {
  return [
    `model = ${tomlString(input.model)}`,
    `model_provider = "longshot"`,
    `approval_policy = "never"`,
    `sandbox_mode = "danger-full-access"`,
    `check_for_update_on_startup = false`,
    `web_search = "disabled"`,
    "",
    // Everything that would reach the network by itself (plugin and app sync, hosted tools,
    // connection retries without end) is off; the sandbox could not reach it anyway.
    "[features]",
    ...offFeatures.map((feature) => `${feature} = false`),
    "",
    "[model_providers.longshot]",
    `name = "Longshot"`,
    `base_url = ${tomlString(input.endpoint.baseUrl)}`,
    `env_key = ${tomlString(codexKeyEnv)}`,
    `wire_api = "responses"`,
    "",
    "[agents]",
    "enabled = false",
    "",
    "[analytics]",
    "enabled = false",
    "",
    "[feedback]",
    "enabled = false",
    "",
    "[otel]",
    `exporter = "none"`,
    "",
    "[history]",
    `persistence = "none"`,
    "",
  ].join("\n");
}

/** A TOML basic string (JSON string escapes are valid TOML). */
function tomlString(value: string): string {
  return JSON.stringify(value);
}
