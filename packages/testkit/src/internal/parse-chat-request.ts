import { z } from "zod";
import type { FakeMessage, FakeTool } from "../fake-request.js";
import { message, type ParsedBody, parseWith, schemaOf, textOf } from "./parsed-body.js";

const ChatToolCallSchema = z.object({
  id: z.string(),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

const ChatMessageSchema = z.object({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.unknown().optional(),
  tool_calls: z.array(ChatToolCallSchema).nullish(),
  tool_call_id: z.string().optional(),
});

const ChatToolSchema = z.object({
  type: z.string().optional(),
  function: z
    .object({ name: z.string(), description: z.string().optional(), parameters: z.unknown().optional() })
    .optional(),
});

const ChatBodySchema = z.object({
  model: z.string(),
  messages: z.array(ChatMessageSchema).min(1),
  tools: z.array(ChatToolSchema).optional(),
  stream: z.boolean().nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
});

type ChatMessage = z.infer<typeof ChatMessageSchema>;

function normalizeMessage(input: ChatMessage): FakeMessage {
  const content = textOf(input.content);
  switch (input.role) {
    case "system":
    case "developer":
      return message("system", content);
    case "user":
      return message("user", content);
    case "assistant": {
      const toolCalls = (input.tool_calls ?? []).map((call) => ({
        id: call.id,
        name: call.function.name,
        arguments: call.function.arguments,
      }));
      return message("assistant", content, { toolCalls });
    }
    case "tool":
    case "function":
      return message("tool", content, { toolCallId: input.tool_call_id });
  }
}

/** Normalizes a `POST /v1/chat/completions` body; throws BadRequestError when it is invalid. */
export function parseChatRequest(body: unknown): ParsedBody {
  const parsed = parseWith(ChatBodySchema, body);
  const tools: FakeTool[] = [];
  for (const tool of parsed.tools ?? []) {
    if (tool.function === undefined) continue;
    tools.push({
      name: tool.function.name,
      description: tool.function.description ?? "",
      parameters: schemaOf(tool.function.parameters),
    });
  }
  return {
    model: parsed.model,
    stream: parsed.stream === true,
    messages: parsed.messages.map(normalizeMessage),
    tools,
    maxOutputTokens: parsed.max_completion_tokens ?? parsed.max_tokens ?? undefined,
  };
}
