import type { SandboxBackend } from "@longshot/sandbox";
import { E2BSandboxProvider } from "./e2b-sandbox-provider.js";
import { e2bSdkClient } from "./e2b-sdk-client.js";

/**
 * The `e2b` sandbox kind: a microVM per task from E2B_TEMPLATE. A CLI harness's sandboxes may
 * reach the model gateway's public host and nothing else.
 */
export function e2bSandboxBackend(): SandboxBackend {
  return {
    async create(setup) {
      return new E2BSandboxProvider({
        apiKey: setup.config.E2B_API_KEY ?? "",
        template: setup.config.E2B_TEMPLATE,
        workspaceRoot: setup.workspaceRoot,
        ...(setup.gatewayHost === null ? {} : { egressAllow: [setup.gatewayHost] }),
      });
    },
    async isolation({ config, gatewayHost }) {
      const egress =
        gatewayHost === null ? "internet access off" : `only ${gatewayHost} (the model gateway) reachable`;
      return {
        status: "isolated",
        detail: `each task runs in an E2B microVM from the ${config.E2B_TEMPLATE} template, ${egress} unless asked`,
        limits: "CPU and memory come from the E2B template",
      };
    },
    service: {
      name: "E2B",
      variables: "E2B_API_KEY",
      credentials: (config) => (config.E2B_API_KEY ? [config.E2B_API_KEY] : null),
      async probe(config, signal) {
        const client = e2bSdkClient({ apiKey: config.E2B_API_KEY ?? "", requestTimeoutMs: 15_000 });
        await client.list({ "longshot.scope": "longshot-preflight" }, { signal });
      },
    },
    describe: () => "e2b sandbox",
    cliFix: () =>
      "build the E2B template with the CLIs (docker/e2b-cli.Dockerfile) and set E2B_TEMPLATE to it",
  };
}
