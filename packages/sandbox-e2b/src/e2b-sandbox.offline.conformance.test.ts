import { describeOfflineRemoteConformance } from "@longshot/sandbox/conformance";
import { e2bIsolation } from "./e2b-sandbox.js";
import { E2BSandboxProvider } from "./e2b-sandbox-provider.js";
import { LocalE2BClient } from "./local-e2b-client.js";

// The whole shared suite, offline: the provider talks to the recording fake of the
// E2B service, which runs commands on this machine.
const client = new LocalE2BClient();
describeOfflineRemoteConformance("e2b", {
  isolation: e2bIsolation,
  home: "home",
  makeProvider: (options) => new E2BSandboxProvider({ client, ...options }),
});
