import type { SandboxBackend } from "@longshot/sandbox";
import { ModalSandboxProvider } from "./modal-sandbox-provider.js";
import { modalSdkClient } from "./modal-sdk-client.js";

/**
 * The `modal` sandbox kind: a Modal sandbox per task from MODAL_IMAGE plus longshot's worker
 * layer (and the run's CLI harness, installed at its tested version). A CLI harness's sandboxes
 * may reach the model gateway's public host and nothing else.
 */
export function modalSandboxBackend(): SandboxBackend {
  return {
    async create(setup) {
      const { config } = setup;
      return new ModalSandboxProvider({
        tokenId: config.MODAL_TOKEN_ID ?? "",
        tokenSecret: config.MODAL_TOKEN_SECRET ?? "",
        appName: config.MODAL_APP,
        image: config.MODAL_IMAGE,
        workspaceRoot: setup.workspaceRoot,
        ...(setup.gatewayHost === null ? {} : { egressAllow: [setup.gatewayHost] }),
        ...(setup.cliInstall === null ? {} : { extraLayer: [`RUN ${setup.cliInstall}`] }),
      });
    },
    async isolation({ config, gatewayHost }) {
      const egress =
        gatewayHost === null ? "network blocked" : `only ${gatewayHost} (the model gateway) reachable`;
      return {
        status: "isolated",
        detail: `each task runs in a Modal sandbox, ${egress} unless asked`,
        limits: `${config.SANDBOX_CPU_CORES} CPU cores and ${config.SANDBOX_MEMORY_MB} MB of memory per sandbox`,
      };
    },
    service: {
      name: "Modal",
      variables: "MODAL_TOKEN_ID and MODAL_TOKEN_SECRET",
      credentials: (config) =>
        config.MODAL_TOKEN_ID && config.MODAL_TOKEN_SECRET
          ? [config.MODAL_TOKEN_ID, config.MODAL_TOKEN_SECRET]
          : null,
      async probe(config, signal) {
        const client = modalSdkClient({
          tokenId: config.MODAL_TOKEN_ID ?? "",
          tokenSecret: config.MODAL_TOKEN_SECRET ?? "",
          appName: config.MODAL_APP,
          requestTimeoutMs: 15_000,
        });
        try {
          await client.check({ signal });
        } finally {
          client.close();
        }
      },
    },
    describe: () => "modal sandbox",
    cliFix: (config, cli) =>
      `check that MODAL_IMAGE (${config.MODAL_IMAGE}) is Debian-based with npm, as longshot installs ${cli.npmPackage} on it`,
  };
}
