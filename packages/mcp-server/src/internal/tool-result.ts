import { type Logger, messageOf, UserError } from "@longshot/core";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** A successful tool result: a one-line summary for people, then the data as JSON for agents. */
export function toolResult(summary: string, data: Record<string, unknown>): CallToolResult {
  return {
    content: [{ type: "text", text: `${summary}\n\n${JSON.stringify(data, null, 2)}` }],
    structuredContent: data,
  };
}

/** A tool error the caller can act on: one sentence saying what to fix. */
export function toolError(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

/**
 * Runs a tool handler and turns failures into tool errors: a `UserError` keeps its sentence,
 * anything else is logged and reported as an internal error (the server keeps serving).
 */
export async function guarded(
  logger: Logger,
  tool: string,
  handler: () => Promise<CallToolResult> | CallToolResult,
): Promise<CallToolResult> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof UserError) return toolError(error.message);
    logger.error({ tool, error: messageOf(error) }, "MCP tool failed");
    return toolError(`${tool} failed inside the server: ${messageOf(error)}; see the server log.`);
  }
}
