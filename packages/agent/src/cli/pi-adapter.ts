import type { CliAdapter, CliPlanInput, CliRunPlan } from "./cli-adapter.js";
import { createPiParser } from "./pi-events.js";

/**
 * Pi (`pi --mode json`) over the chat completions API. Its agent directory is the state
 * directory, with a `models.json` declaring a `longshot` provider; the key is interpolated from
 * an env var, never written. Offline mode, no version check, no telemetry, no session files.
 */
export const piAdapter: CliAdapter = {
  name: "pi",
  defaultCommand: ["pi"],
  npmPackage: "@earendil-works/pi-coding-agent",
  npmVersion: "0.87.1",
  plan(input: CliPlanInput): CliRunPlan {
    const models = {
      providers: {
        longshot: {
          baseUrl: input.endpoint.baseUrl,
          api: "openai-completions",
          apiKey: "$LONGSHOT_PI_API_KEY",
          models: [{ id: input.model }],
        },
      },
    };
    return {
      argv: [
        ...input.command,
        "--mode",
        "json",
        "--no-session",
        "--provider",
        "longshot",
        "--model",
        input.model,
        input.prompt,
      ],
      env: {
        PI_CODING_AGENT_DIR: input.stateDir,
        PI_OFFLINE: "1",
        PI_SKIP_VERSION_CHECK: "1",
        PI_TELEMETRY: "0",
        LONGSHOT_PI_API_KEY: input.endpoint.apiKey,
        NO_COLOR: "1",
      },
      files: [
        { name: "models.json", content: JSON.stringify(models, null, 2) },
        {
          name: "settings.json",
          content: JSON.stringify({ enableInstallTelemetry: false, enableAnalytics: false }),
        },
      ],
    };
  },
  createParser: createPiParser,
};
