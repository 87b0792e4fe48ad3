import { type Logger, silentLogger } from "@longshot/core";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { registerControlTools } from "./internal/control-tools.js";
import { RunLocator } from "./internal/run-locator.js";
import { RunNotifier } from "./internal/run-notifier.js";
import { registerRunResources } from "./internal/run-resources.js";
import { registerRunTools } from "./internal/run-tools.js";
import { registerTaskTools } from "./internal/task-tools.js";
import { ToolRegistry } from "./internal/tool-registry.js";
import type { RunService } from "./run-service.js";

export interface CreateMcpServerOptions {
  /** Where tool failures that are not the caller's fault are logged; default silent. */
  readonly logger?: Logger;
  /** Reported to clients in `initialize`; default "0.1.0". */
  readonly version?: string;
}

const instructions = [
  "Longshot turns one build request into a merged, green codebase: a planner splits it into tasks, workers build them in sandboxes, a merge queue lands them.",
  "start_run starts a run in the background and returns its id; follow it with wait_run (which sends progress notifications), get_run and list_tasks; read longshot://runs/{runId}/report when it ends.",
  "Steer a live run with add_task, cancel_task, pause_run, resume_run, set_max_workers and stop_run; resume_run also continues a run that crashed or was stopped.",
  'Notable run events arrive as notifications/message (logger "longshot") for runs this session started, resumed or asked about.',
].join("\n");

/**
 * Builds one MCP session's server over a run service: the tools (start_run, list_runs, get_run,
 * wait_run, list_tasks, get_task, add_task, cancel_task, pause_run, resume_run, stop_run,
 * set_max_workers), the resource templates `longshot://runs/{runId}/report` and
 * `longshot://runs/{runId}/events`, and logging notifications for live runs.
 *
 * A server serves one connection: create one per stdio process or HTTP session. Closing the
 * server stops its notifications; runs keep going (they belong to the service).
 */
export function createMcpServer(service: RunService, options: CreateMcpServerOptions = {}): McpServer {
  const logger = options.logger ?? silentLogger();
  const server = new McpServer(
    { name: "longshot", title: "Longshot", version: options.version ?? "0.1.0" },
    { capabilities: { logging: {} }, instructions },
  );
  const session = new AbortController();
  server.server.onclose = () => session.abort();
  const locator = new RunLocator(service);
  const notifier = new RunNotifier(server, logger, session.signal);
  const tools = new ToolRegistry(server, logger);
  const context = { server, service, locator, notifier, logger, tools };
  registerRunTools(context);
  registerTaskTools(context);
  registerControlTools(context);
  tools.install();
  registerRunResources(server, service, locator);
  return server;
}
