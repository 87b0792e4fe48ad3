import { createHarness, type Harness, McpToolSet } from "@longshot/agent";
import { type Config, systemClock, UserError } from "@longshot/core";
import { longshotIdentity } from "@longshot/engine";
import type { ModelClient } from "@longshot/llm";
import { toolPath, workerChecks } from "../run-context.js";

/**
 * The worker harness when it is not the default built-in agent: an external coding CLI
 * (WORKER_HARNESS), or the built-in agent with tools from MCP servers (MCP_SERVERS).
 * Returns null for the plain built-in agent, which `openRun` creates itself.
 */
export async function createWorkerHarness(
  config: Config,
  model: ModelClient,
  repo: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  closers: (() => Promise<void>)[],
): Promise<Harness | null> {
  const common = { clock: systemClock, author: longshotIdentity, checks: workerChecks(config, repo) };
  if (config.WORKER_HARNESS !== "builtin") {
    const endpoint = config.LLM_ENDPOINTS?.[0];
    const baseUrl = endpoint?.endpoint ?? config.LLM_BASE_URL;
    if (baseUrl === undefined) {
      throw new UserError(
        `WORKER_HARNESS=${config.WORKER_HARNESS} needs LLM_BASE_URL (and LLM_API_KEY) for the CLI to call.`,
      );
    }
    return createHarness(config.WORKER_HARNESS, {
      ...common,
      endpoint: { baseUrl, apiKey: endpoint?.apiKey ?? config.LLM_API_KEY ?? "" },
      env: { PATH: toolPath(env) },
    });
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
