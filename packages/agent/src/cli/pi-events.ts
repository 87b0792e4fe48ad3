import { z } from "zod";
import { type CliEvent, type CliEventParser, inputText, jsonLineParser, usageEvent } from "./cli-event.js";

const ContentSchema = z.array(z.looseObject({ type: z.string(), text: z.string().optional() }));

const AssistantMessageSchema = z.looseObject({
  role: z.literal("assistant"),
  content: ContentSchema,
  usage: z
    .looseObject({
      input: z.number().default(0),
      output: z.number().default(0),
      cacheRead: z.number().default(0),
      cacheWrite: z.number().default(0),
    })
    .optional(),
  stopReason: z.string().optional(),
  errorMessage: z.string().optional(),
});

const PiLineSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("message_end"), message: z.looseObject({ role: z.string() }) }),
  z.looseObject({
    type: z.literal("tool_execution_start"),
    toolCallId: z.string(),
    toolName: z.string(),
    args: z.unknown(),
  }),
  z.looseObject({
    type: z.literal("tool_execution_end"),
    toolCallId: z.string(),
    toolName: z.string(),
    result: z.unknown(),
    isError: z.boolean().default(false),
  }),
  z.looseObject({
    type: z.literal("auto_retry_end"),
    success: z.boolean(),
    finalError: z.string().optional(),
  }),
]);

const ToolResultSchema = z.looseObject({ content: ContentSchema });

/**
 * Parser for `pi --mode json` (session events: `message_end` carries each finished assistant
 * message with its usage; `tool_execution_start` / `_end` bracket each tool call).
 */
export function createPiParser(): CliEventParser {
  return jsonLineParser(PiLineSchema, (event) => {
    switch (event.type) {
      case "message_end":
        return assistantEvents(event.message);
      case "tool_execution_start":
        return [
          {
            kind: "tool-start",
            callId: event.toolCallId,
            tool: event.toolName,
            input: inputText(event.args),
          },
        ];
      case "tool_execution_end":
        return [
          {
            kind: "tool-end",
            callId: event.toolCallId,
            tool: event.toolName,
            ok: !event.isError,
            output: resultText(event.result),
          },
        ];
      case "auto_retry_end":
        return event.success
          ? []
          : [{ kind: "error", message: event.finalError ?? "model call failed after retries" }];
    }
  });
}

function assistantEvents(message: unknown): CliEvent[] {
  const parsed = AssistantMessageSchema.safeParse(message);
  if (!parsed.success) return [];
  const assistant = parsed.data;
  const events: CliEvent[] = [];
  const text = assistant.content
    .filter((part) => part.type === "text" && part.text)
    .map((part) => part.text)
    .join("\n");
  if (text) events.push({ kind: "text", text });
  if (assistant.usage) events.push(usageEvent(assistant.usage));
  if (assistant.stopReason === "error" || assistant.errorMessage) {
    events.push({ kind: "error", message: assistant.errorMessage ?? "model call failed" });
  }
  return events;
}

function resultText(result: unknown): string {
  const parsed = ToolResultSchema.safeParse(result);
  if (!parsed.success) return inputText(result);
  return parsed.data.content
    .map((part) => part.text ?? "")
    .filter((text) => text !== "")
    .join("\n");
}
