import type { Logger, LongshotEvent } from "@longshot/core";
import type { RunEngine } from "@longshot/engine";
import { describeEvent } from "@longshot/tui";

/** Events too frequent to log one line each at info level; kept at debug. */
const chatty: ReadonlySet<LongshotEvent["type"]> = new Set([
  "model-call-start",
  "model-call-end",
  "tool-call-start",
  "tool-call-end",
  "agent-text",
]);

/**
 * Writes the run's events to its log (`runs/<run>/run.log`, secrets redacted by the logger):
 * one line per event the console would show, and the rest at debug level. Resolves when the run's
 * event stream ends.
 */
export async function logEvents(engine: RunEngine, afterSeq: number, logger: Logger): Promise<void> {
  for await (const event of engine.events(afterSeq)) {
    const line = describeEvent(event);
    const taskId = "taskId" in event && typeof event.taskId === "string" ? event.taskId : undefined;
    const fields = { event: event.type, seq: event.seq, ...(taskId === undefined ? {} : { taskId }) };
    if (line !== null && !chatty.has(event.type)) {
      const level = event.type === "log" ? event.level : "info";
      logger[level](fields, line);
    } else {
      logger.debug(fields, line ?? event.type);
    }
  }
}
