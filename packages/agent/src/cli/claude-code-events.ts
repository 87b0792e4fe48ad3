import { anthropicBlockShape } from "@longshot/gateway";
import { z } from "zod";
import { type CliEvent, type CliEventParser, inputText, jsonLineParser, usageEvent } from "./cli-event.js";

const UsageSchema = z.looseObject({
  input_tokens: z.number().default(0),
  output_tokens: z.number().default(0),
  cache_read_input_tokens: z.number().nullable().default(0),
  cache_creation_input_tokens: z.number().nullable().default(0),
});

const BlockSchema = z.looseObject(anthropicBlockShape);

const ClaudeLineSchema = z.discriminatedUnion("type", [
  z.looseObject({
    type: z.literal("assistant"),
    message: z.looseObject({
      id: z.string().optional(),
      content: z.array(BlockSchema),
      usage: UsageSchema.optional(),
    }),
  }),
  z.looseObject({
    type: z.literal("user"),
    message: z.looseObject({ content: z.union([z.string(), z.array(BlockSchema)]) }),
  }),
  z.looseObject({
    type: z.literal("result"),
    subtype: z.string(),
    is_error: z.boolean().default(false),
    result: z.string().optional(),
    errors: z.array(z.string()).optional(),
  }),
]);

/**
 * Parser for Claude Code's `-p --output-format stream-json --verbose` (one `assistant` line per
 * content block with the message's usage, `user` lines carrying tool results, and a final
 * `result`). Usage is counted once per message id, since every block of a message repeats it.
 */
export function createClaudeCodeParser(): CliEventParser {
  const tools = new Map<string, string>();
  const countedMessages = new Set<string>();
  return jsonLineParser(ClaudeLineSchema, (event) => {
    switch (event.type) {
      case "assistant": {
        const events: CliEvent[] = [];
        for (const block of event.message.content) {
          if (block.type === "text" && block.text) events.push({ kind: "text", text: block.text });
          if (block.type === "tool_use" && block.id && block.name) {
            tools.set(block.id, block.name);
            events.push({
              kind: "tool-start",
              callId: block.id,
              tool: block.name,
              input: inputText(block.input),
            });
          }
        }
        const { id: messageId, usage } = event.message;
        if (usage && !(messageId && countedMessages.has(messageId))) {
          if (messageId) countedMessages.add(messageId);
          events.push(
            usageEvent({
              input: usage.input_tokens,
              output: usage.output_tokens,
              cacheRead: usage.cache_read_input_tokens ?? 0,
              cacheWrite: usage.cache_creation_input_tokens ?? 0,
            }),
          );
        }
        return events;
      }
      case "user": {
        if (typeof event.message.content === "string") return [];
        return event.message.content
          .filter((block) => block.type === "tool_result" && block.tool_use_id)
          .map((block) => ({
            kind: "tool-end" as const,
            callId: block.tool_use_id ?? "",
            tool: tools.get(block.tool_use_id ?? "") ?? "tool",
            ok: block.is_error !== true,
            output: contentText(block.content),
          }));
      }
      case "result":
        if (!event.is_error && event.subtype === "success") return [];
        return [{ kind: "error", message: event.errors?.join("; ") || event.result || event.subtype }];
    }
  });
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  const blocks = z.array(BlockSchema).safeParse(content);
  if (!blocks.success) return inputText(content);
  return blocks.data.map((block) => block.text ?? "").join("\n");
}
