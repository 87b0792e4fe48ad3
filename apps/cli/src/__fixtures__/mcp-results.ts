import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** The structured content of a tool result; throws with the tool's message when it is an error. */
export function data(result: unknown): Record<string, unknown> {
  const tool = result as CallToolResult;
  if (tool.isError) throw new Error(`tool error: ${text(tool)}`);
  return (tool.structuredContent ?? {}) as Record<string, unknown>;
}

/** The first text content of a tool result; empty when there is none. */
export function text(result: unknown): string {
  const content = (result as CallToolResult).content[0];
  return content?.type === "text" ? content.text : "";
}
