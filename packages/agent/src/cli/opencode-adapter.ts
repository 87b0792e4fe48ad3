import type { CliAdapter, CliPlanInput } from "./cli-adapter.js";
import { cliRunPlan, jsonFile } from "./cli-adapter-kit.js";
import { createOpenCodeParser } from "./opencode-events.js";

/** Where the CLI reads the gateway token: opencode.json names it, the plan sets it. */
const openCodeKeyEnv = "LONGSHOT_OPENCODE_API_KEY";

/**
 * OpenCode (`opencode run --format json`) over the chat completions API, with an
 * `opencode.json` (via `OPENCODE_CONFIG`) declaring a `longshot` openai-compatible provider whose
 * key (the gateway token) comes from an env var. XDG directories point into the state directory;
 * autoupdate, sharing, model-list fetching, LSP downloads, default plugins and external skills
 * (fetched from the npm registry) are off.
 */
export const openCodeAdapter: CliAdapter = {
  name: "opencode",
  defaultCommand: ["opencode"],
  npmPackage: "opencode-ai",
  npmVersion: "1.18.33",
  plan: (input) =>
    cliRunPlan(input, {
      args: ["run", "--format", "json", "--model", `longshot/${input.model}`],
      keyEnv: openCodeKeyEnv,
      env: {
        OPENCODE_CONFIG: `${input.stateDir}/opencode.json`,
        XDG_CONFIG_HOME: `${input.stateDir}/config`,
        XDG_DATA_HOME: `${input.stateDir}/data`,
        XDG_CACHE_HOME: `${input.stateDir}/cache`,
        XDG_STATE_HOME: `${input.stateDir}/state`,
        OPENCODE_DISABLE_AUTOUPDATE: "1",
        OPENCODE_DISABLE_MODELS_FETCH: "1",
        OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
        OPENCODE_DISABLE_SHARE: "1",
        // Default plugins and external skills are fetched from the npm registry on every start.
        OPENCODE_DISABLE_DEFAULT_PLUGINS: "1",
        OPENCODE_DISABLE_EXTERNAL_SKILLS: "1",
        OPENCODE_DISABLE_CLAUDE_CODE: "1",
      },
      files: [jsonFile("opencode.json", openCodeConfig(input))],
    }),
  createParser: createOpenCodeParser,
};

/** A `longshot` openai-compatible provider at the endpoint; its key is read from `openCodeKeyEnv`. */
function openCodeConfig(input: CliPlanInput): unknown {
  return {
    $schema: "https://opencode.ai/config.json",
    model: `longshot/${input.model}`,
    autoupdate: false,
    share: "disabled",
    permission: { edit: "allow", bash: "allow", webfetch: "deny" },
    provider: {
      longshot: {
        npm: "@ai-sdk/openai-compatible",
        name: "Longshot",
        options: { baseURL: input.endpoint.baseUrl, apiKey: `{env:${openCodeKeyEnv}}` },
        models: { [input.model]: { name: input.model } },
      },
    },
  };
}
