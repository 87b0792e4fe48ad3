import { z } from "zod";
import { type CliEvent, type CliEventParser, inputText, jsonLineParser } from "./cli-event.js";

const ItemSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  text: z.string().optional(),
  message: z.string().optional(),
  command: z.string().optional(),
  aggregated_output: z.string().optional(),
  exit_code: z.number().nullable().optional(),
  status: z.string().optional(),
  changes: z.array(z.looseObject({ path: z.string(), kind: z.string().optional() })).optional(),
  server: z.string().optional(),
  tool: z.string().optional(),
  arguments: z.unknown().optional(),
  query: z.string().optional(),
  error: z.looseObject({ message: z.string() }).nullable().optional(),
});
type Item = z.infer<typeof ItemSchema>;

const CodexLineSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("item.started"), item: ItemSchema }),
  z.looseObject({ type: z.literal("item.updated"), item: ItemSchema }),
  z.looseObject({ type: z.literal("item.completed"), item: ItemSchema }),
  z.looseObject({
    type: z.literal("turn.completed"),
    usage: z.looseObject({
      input_tokens: z.number(),
      cached_input_tokens: z.number().default(0),
      output_tokens: z.number(),
    }),
  }),
  z.looseObject({ type: z.literal("turn.failed"), error: z.looseObject({ message: z.string() }) }),
  z.looseObject({ type: z.literal("error"), message: z.string() }),
]);

const toolItemTypes = new Set(["command_execution", "file_change", "mcp_tool_call", "web_search"]);

/**
 * Parser for `codex exec --json` (thread events: `item.*` with agent messages, command
 * executions, file changes and MCP calls; `turn.completed` with usage; `turn.failed`, `error`).
 */
export function createCodexParser(): CliEventParser {
  const started = new Set<string>();
  return jsonLineParser(CodexLineSchema, (event) => {
    switch (event.type) {
      case "item.started":
      case "item.updated":
        if (!toolItemTypes.has(event.item.type) || started.has(event.item.id)) return [];
        started.add(event.item.id);
        return [toolStart(event.item)];
      case "item.completed":
        return completed(event.item, started);
      case "turn.completed":
        // Codex counts cached tokens inside input_tokens already.
        return [
          {
            kind: "usage",
            usage: {
              promptTokens: event.usage.input_tokens,
              completionTokens: event.usage.output_tokens,
              cachedTokens: event.usage.cached_input_tokens,
            },
          },
        ];
      case "turn.failed":
        return [{ kind: "error", message: event.error.message }];
      case "error":
        return [{ kind: "error", message: event.message }];
    }
  });
}

function completed(item: Item, started: Set<string>): CliEvent[] {
  if (item.type === "agent_message") return item.text ? [{ kind: "text", text: item.text }] : [];
  if (item.type === "error")
    return [{ kind: "error", message: item.message ?? item.text ?? "unknown error" }];
  if (!toolItemTypes.has(item.type)) return [];
  const events: CliEvent[] = started.has(item.id) ? [] : [toolStart(item)];
  started.delete(item.id);
  events.push({
    kind: "tool-end",
    callId: item.id,
    tool: toolName(item),
    ok: itemOk(item),
    output: itemOutput(item),
  });
  return events;
}

function toolStart(item: Item): CliEvent {
  return { kind: "tool-start", callId: item.id, tool: toolName(item), input: itemInput(item) };
}

function toolName(item: Item): string {
  switch (item.type) {
    case "command_execution":
      return "shell";
    case "file_change":
      return "apply_patch";
    case "mcp_tool_call":
      return `${item.server ?? "mcp"}__${item.tool ?? "tool"}`;
    default:
      return item.type;
  }
}

function itemInput(item: Item): string {
  if (item.command !== undefined) return item.command;
  if (item.changes !== undefined) return inputText(item.changes);
  if (item.query !== undefined) return item.query;
  return inputText(item.arguments);
}

function itemOk(item: Item): boolean {
  if (item.status === "failed" || item.status === "declined") return false;
  if (item.exit_code !== undefined && item.exit_code !== null) return item.exit_code === 0;
  return !item.error;
}

function itemOutput(item: Item): string {
  if (item.aggregated_output !== undefined) return item.aggregated_output;
  if (item.changes !== undefined)
    return item.changes.map((change) => `${change.kind ?? "update"} ${change.path}`).join("\n");
  if (item.error) return item.error.message;
  return item.status ?? "";
}
