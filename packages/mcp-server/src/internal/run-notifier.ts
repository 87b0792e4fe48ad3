import { type Logger, type LongshotEvent, messageOf } from "@longshot/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { LoggingLevel } from "@modelcontextprotocol/sdk/types.js";
import type { LiveRun } from "../run-service.js";

/** A notable event as a log line; null for events too frequent to announce (tool and model calls). */
export function describeEvent(event: LongshotEvent): { level: LoggingLevel; text: string } | null {
  switch (event.type) {
    case "run-start":
      return { level: "notice", text: `run started: ${event.request}` };
    case "run-resume":
      return { level: "notice", text: "run resumed" };
    case "run-pause":
      return { level: "notice", text: `run paused: ${event.reason}` };
    case "run-unpause":
      return { level: "notice", text: `run unpaused: ${event.reason}` };
    case "run-drain":
      return { level: "notice", text: `run draining: ${event.reason}` };
    case "run-end":
      return {
        level: event.status === "green" ? "notice" : event.status === "stopped" ? "warning" : "error",
        text: `run ended ${event.status}: ${event.reason}`,
      };
    case "plan-batch":
      return {
        level: "info",
        text: `planned ${event.taskIds.length} task(s)${event.final ? "; plan complete" : ""}`,
      };
    case "task-add":
      return { level: "info", text: `task ${event.task.id} added: ${event.task.title}` };
    case "task-transition":
      return {
        level: event.to === "failed" ? "warning" : "info",
        text: `task ${event.taskId} ${event.from} → ${event.to}: ${event.reason}`,
      };
    case "merge-land":
      return { level: "info", text: `task ${event.taskId} landed as ${event.sha.slice(0, 10)}` };
    case "merge-conflict":
      return { level: "info", text: `task ${event.taskId} conflicts in ${event.files.join(", ")}` };
    case "health-check":
      return {
        level: event.green ? "info" : "warning",
        text: `integration branch ${event.green ? "green" : "red"} at ${event.commit.slice(0, 10)}`,
      };
    case "budget-refuse":
      return { level: "warning", text: `${event.kind} budget reached (${event.used} of ${event.limit})` };
    case "log":
      return {
        level: event.level === "warn" ? "warning" : event.level,
        text: event.message,
      };
    default:
      return null;
  }
}

/**
 * Sends `notifications/message` (MCP logging) for notable events of the live runs a session
 * watches: runs it started or resumed, and live runs it asked about. Clients filter with
 * `logging/setLevel`; the logger name is "longshot" and `data` carries the run and task ids.
 */
export class RunNotifier {
  readonly #server: McpServer;
  readonly #logger: Logger;
  readonly #signal: AbortSignal;
  readonly #watched = new Set<string>();

  constructor(server: McpServer, logger: Logger, signal: AbortSignal) {
    this.#server = server;
    this.#logger = logger;
    this.#signal = signal;
  }

  /**
   * Starts forwarding the run's events after `afterSeq` (default: from now on); a second call
   * for a run already watched does nothing.
   */
  watch(run: LiveRun, afterSeq = run.snapshot().state.lastSeq): void {
    if (this.#watched.has(run.runId) || this.#signal.aborted) return;
    this.#watched.add(run.runId);
    void this.#forward(run, afterSeq).finally(() => this.#watched.delete(run.runId));
  }

  async #forward(run: LiveRun, afterSeq: number): Promise<void> {
    try {
      for await (const event of run.events(afterSeq, this.#signal)) {
        const line = describeEvent(event);
        if (!line || !this.#server.isConnected()) continue;
        await this.#server.sendLoggingMessage({
          level: line.level,
          logger: "longshot",
          data: {
            runId: event.runId,
            seq: event.seq,
            type: event.type,
            taskId: "taskId" in event ? event.taskId : null,
            message: line.text,
          },
        });
      }
    } catch (error) {
      if (!this.#signal.aborted)
        this.#logger.warn({ runId: run.runId, error: messageOf(error) }, "run notifications stopped");
    }
  }
}
