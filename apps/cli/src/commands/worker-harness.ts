import { type CliGateway, createHarness, type Harness, McpToolSet } from "@longshot/agent";
import { type Config, InternalError, systemClock } from "@longshot/core";
import { longshotIdentity } from "@longshot/engine";
import type { ModelClient } from "@longshot/llm";
import { refuseUnreachableGateway } from "../harness-check.js";
import { workerChecks } from "../run-context.js";

/**
 * The worker harness when it is not the default built-in agent: an external coding CLI
 * (WORKER_HARNESS) reaching models through the run's gateway, or the built-in agent with tools
 * from MCP servers (MCP_SERVERS). Returns null for the plain built-in agent, which `openRun`
 * creates itself. Throws `UserError` when the sandbox provider cannot reach the gateway.
 */
export async function createWorkerHarness(
  config: Config,
  model: ModelClient,
  repo: string,
  gateway: CliGateway | null,
  signal: AbortSignal,
  closers: (() => Promise<void>)[],
): Promise<Harness | null> {
  const common = { clock: systemClock, author: longshotIdentity, checks: workerChecks(config, repo) };
  if (config.WORKER_HARNESS !== "builtin") {
    refuseUnreachableGateway(config);
    if (gateway === null)
      throw new InternalError(`WORKER_HARNESS=${config.WORKER_HARNESS} needs the model gateway.`);
    return createHarness(config.WORKER_HARNESS, { ...common, gateway });
  }
  if (config.MCP_SERVERS === undefined || config.MCP_SERVERS.length === 0) return null;
  const tools = await McpToolSet.connect({ servers: config.MCP_SERVERS, cwd: repo, signal });
  closers.push(() => tools.close());
  return createHarness("builtin", {
    ...common,
    languageModel: model,
    contextTokens: config.LLM_CONTEXT_TOKENS,
    extraTools: tools.tools,
  });
}
