export {
  type GatewayAccess,
  type GatewayGrant,
  type GatewayRefusal,
  GatewaySession,
} from "./gateway-session.js";
export { anthropicBlockShape } from "./internal/anthropic-request.js";
export { ModelGateway, type ModelGatewayOptions } from "./model-gateway.js";
export {
  blockedConnection,
  type LauncherPorts,
  launcherLogPrefix,
  launcherPorts,
  launcherSource,
  proxyEnv,
} from "./sandbox-launcher.js";
