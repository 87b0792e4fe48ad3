import type { CliAdapter, CliPlanInput, CliRunPlan } from "./cli-adapter.js";
import { createOpenCodeParser } from "./opencode-events.js";

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
  plan(input: CliPlanInput): CliRunPlan {
    const config = {
      $schema: "https://opencode.ai/config.json",
      model: `longshot/${input.model}`,
      autoupdate: false,
      share: "disabled",
      permission: { edit: "allow", bash: "allow", webfetch: "deny" },
      provider: {
        longshot: {
          npm: "@ai-sdk/openai-compatible",
          name: "Longshot",
          options: { baseURL: input.endpoint.baseUrl, apiKey: "{env:LONGSHOT_OPENCODE_API_KEY}" },
          models: { [input.model]: { name: input.model } },
        },
      },
    };
    const dir = input.stateDir;
    return {
      argv: [...input.command, "run", "--format", "json", "--model", `longshot/${input.model}`, input.prompt],
      env: {
        OPENCODE_CONFIG: `${dir}/opencode.json`,
        XDG_CONFIG_HOME: `${dir}/config`,
        XDG_DATA_HOME: `${dir}/data`,
        XDG_CACHE_HOME: `${dir}/cache`,
        XDG_STATE_HOME: `${dir}/state`,
        OPENCODE_DISABLE_AUTOUPDATE: "1",
        OPENCODE_DISABLE_MODELS_FETCH: "1",
        OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
        OPENCODE_DISABLE_SHARE: "1",
        // Default plugins and external skills are fetched from the npm registry on every start.
        OPENCODE_DISABLE_DEFAULT_PLUGINS: "1",
        OPENCODE_DISABLE_EXTERNAL_SKILLS: "1",
        OPENCODE_DISABLE_CLAUDE_CODE: "1",
        LONGSHOT_OPENCODE_API_KEY: input.endpoint.apiKey,
        NO_COLOR: "1",
      },
      files: [{ name: "opencode.json", content: JSON.stringify(config, null, 2) }],
    };
  },
  createParser: createOpenCodeParser,
};
