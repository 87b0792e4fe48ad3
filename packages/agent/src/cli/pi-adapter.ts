import type { CliAdapter, CliPlanInput } from "./cli-adapter.js";
import { cliRunPlan, jsonFile } from "./cli-adapter-kit.js";
import { createPiParser } from "./pi-events.js";

/** Where the CLI reads the gateway token: models.json names it, the plan sets it. */
const piKeyEnv = "LONGSHOT_PI_API_KEY";

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
  plan: (input) =>
    cliRunPlan(input, {
      args: ["--mode", "json", "--no-session", "--provider", "longshot", "--model", input.model],
      keyEnv: piKeyEnv,
      env: {
        PI_CODING_AGENT_DIR: input.stateDir,
        PI_OFFLINE: "1",
        PI_SKIP_VERSION_CHECK: "1",
        PI_TELEMETRY: "0",
      },
      files: [
        jsonFile("models.json", piModels(input)),
        jsonFile("settings.json", { enableInstallTelemetry: false, enableAnalytics: false }),
      ],
    }),
  createParser: createPiParser,
};

/** A `longshot` provider at the endpoint; pi interpolates its key from `piKeyEnv`. */
function piModels(input: CliPlanInput): unknown {
  return {
    providers: {
      longshot: {
        baseUrl: input.endpoint.baseUrl,
        api: "openai-completions",
        apiKey: `$${piKeyEnv}`,
        models: [{ id: input.model }],
      },
    },
  };
}
