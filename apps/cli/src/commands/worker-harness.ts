import { type CheckCommand, type CliGateway, createHarness, type Harness, McpToolSet } from "@longshot/agent";
import { type Config, InternalError, systemClock } from "@longshot/core";
import { longshotIdentity } from "@longshot/engine";
import type { ModelClient } from "@longshot/llm";
import { refuseUnreachableGateway } from "../harness-check.js";

/**
 * The worker harness WORKER_HARNESS names: an external coding CLI reaching models through the
 * run's gateway, or the built-in agent (with tools from MCP servers when MCP_SERVERS is set;
 * their connections are closed by `closers`). The one place a harness is chosen. Throws
 * `UserError` when the sandbox provider cannot reach the gateway (a cloud sandbox without
 * GATEWAY_PUBLIC_URL).
 */
export async function createWorkerHarness(
  config: Config,
  model: ModelClient,
  repo: string,
  options: {
    readonly gateway: CliGateway | null;
    readonly checks: readonly CheckCommand[];
    readonly signal: AbortSignal;
    readonly closers: (() => Promise<void>)[];
  },
): Promise<Harness> {
  const common = { clock: systemClock, author: longshotIdentity, checks: options.checks };
  if (config.WORKER_HARNESS !== "builtin") {
    refuseUnreachableGateway(config);
    if (options.gateway === null)
      throw new InternalError(`WORKER_HARNESS=${config.WORKER_HARNESS} needs the model gateway.`);
    return createHarness(config.WORKER_HARNESS, {
      ...common,
      gateway: options.gateway,
      ...(config.GATEWAY_PUBLIC_URL === undefined ? {} : { gatewayPublicUrl: config.GATEWAY_PUBLIC_URL }),
    });
  }
  const builtin = { ...common, languageModel: model, contextTokens: config.LLM_CONTEXT_TOKENS };
  if (config.MCP_SERVERS === undefined || config.MCP_SERVERS.length === 0)
    return createHarness("builtin", builtin);
  const tools = await McpToolSet.connect({ servers: config.MCP_SERVERS, cwd: repo, signal: options.signal });
  options.closers.push(() => tools.close());
  return createHarness("builtin", { ...builtin, extraTools: tools.tools });
}
