import { describeOfflineRemoteConformance } from "@longshot/sandbox/conformance";
import { LocalModalClient } from "./local-modal-client.js";
import { modalIsolation } from "./modal-isolation.js";
import { ModalSandboxProvider } from "./modal-sandbox-provider.js";

// The whole shared suite, offline: the provider talks to the recording fake of the
// Modal service, which runs commands on this machine.
const client = new LocalModalClient();
describeOfflineRemoteConformance("modal", {
  isolation: modalIsolation,
  home: "root",
  makeProvider: (options) => new ModalSandboxProvider({ client, ...options }),
});
