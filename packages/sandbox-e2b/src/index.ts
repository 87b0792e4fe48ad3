export { e2bSandboxBackend } from "./e2b-backend.js";
export type {
  E2BCallOptions,
  E2BClient,
  E2BCreateRequest,
  E2BRunOptions,
  E2BRunResult,
  E2BSandboxInfo,
  E2BSession,
} from "./e2b-client.js";
export { e2bIsolation } from "./e2b-sandbox.js";
export {
  defaultE2BTemplate,
  type E2BPaths,
  E2BSandboxProvider,
  type E2BSandboxProviderOptions,
} from "./e2b-sandbox-provider.js";
export { type E2BSdkOptions, e2bSdkClient } from "./e2b-sdk-client.js";
