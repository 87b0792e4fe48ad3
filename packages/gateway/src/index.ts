// The Claude Code stream the agent parses shares the block fields of the Messages protocol.
export { anthropicBlockShape } from "@longshot/wire";
export {
  type GatewayAccess,
  type GatewayGrant,
  type GatewayRefusal,
  GatewaySession,
} from "./gateway-session.js";
export { ModelGateway, type ModelGatewayOptions } from "./model-gateway.js";
export {
  blockedConnection,
  type LauncherPorts,
  launcherLogPrefix,
  launcherPorts,
  launcherSource,
  proxyEnv,
} from "./sandbox-launcher.js";
