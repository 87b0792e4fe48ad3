import { type Logger, UserError } from "@longshot/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { LiveRun, RunService } from "../run-service.js";
import type { LocatedRun, RunLocator } from "./run-locator.js";
import type { RunNotifier } from "./run-notifier.js";
import { isEnded } from "./run-view.js";
import type { ToolRegistry } from "./tool-registry.js";

/** What every tool handler of one MCP session shares. */
export interface ToolContext {
  readonly server: McpServer;
  readonly service: RunService;
  readonly locator: RunLocator;
  readonly notifier: RunNotifier;
  readonly logger: Logger;
  readonly tools: ToolRegistry;
}

/**
 * The engine of a run that is live in this server process, for a command; otherwise a
 * UserError saying why the command cannot apply and what to do instead.
 */
export function liveRun(context: ToolContext, located: LocatedRun, action: string): LiveRun {
  const { summary } = located;
  const live = context.service.engine(summary.runId);
  if (live && !isEnded(summary.status)) {
    context.notifier.watch(live);
    return live;
  }
  if (summary.status === "green") {
    throw new UserError(
      `Run ${summary.runId} ended green, so it cannot ${action}; call start_run for a new run.`,
    );
  }
  if (isEnded(summary.status)) {
    throw new UserError(
      `Run ${summary.runId} has ended (${summary.status}), so it cannot ${action}; call resume_run to continue it here first.`,
    );
  }
  throw new UserError(
    `Run ${summary.runId} is not live in this server process (status ${summary.status}), so it cannot ${action}; call resume_run to continue it here first.`,
  );
}
