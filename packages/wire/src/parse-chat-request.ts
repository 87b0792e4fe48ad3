import { z } from "zod";
import type { ChatMessage, ToolChoice } from "./conversation.js";
import { schemaOf, textOf } from "./internal/content.js";
import { responseFormatOf, wireCallOf } from "./internal/wire-call-of.js";
import type { WireCall } from "./wire-call.js";
import { parseWith } from "./wire-request-error.js";

const ToolCallSchema = z.object({
  id: z.string().optional(),
  type: z.string().optional(),
  function: z.object({ name: z.string(), arguments: z.string().nullish() }),
});

const MessageSchema = z.object({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.unknown().optional(),
  tool_calls: z.array(ToolCallSchema).nullish(),
  tool_call_id: z.string().nullish(),
});

const ToolSchema = z.object({
  type: z.string().optional(),
  function: z
    .object({ name: z.string(), description: z.string().nullish(), parameters: z.unknown().optional() })
    .optional(),
});

const ToolChoiceSchema = z.union([
  z.enum(["auto", "none", "required"]),
  z.object({ type: z.string().optional(), function: z.object({ name: z.string() }) }),
]);

const ChatBodySchema = z.object({
  model: z.string().default(""),
  messages: z.array(MessageSchema).min(1),
  tools: z.array(ToolSchema).nullish(),
  tool_choice: ToolChoiceSchema.nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  response_format: z
    .object({
      type: z.string(),
      json_schema: z.object({ name: z.string().optional(), schema: z.unknown().optional() }).optional(),
    })
    .nullish(),
});

type ChatBody = z.infer<typeof ChatBodySchema>;

function messageOf(message: ChatBody["messages"][number]): ChatMessage | null {
  const content = textOf(message.content);
  switch (message.role) {
    case "system":
    case "developer":
      return { role: "system", content };
    case "user":
      return { role: "user", content };
    case "assistant": {
      const calls = (message.tool_calls ?? []).map((call, index) => ({
        id: call.id ?? `call_${index}`,
        name: call.function.name,
        arguments: call.function.arguments ?? "",
      }));
      return calls.length > 0
        ? { role: "assistant", content, toolCalls: calls }
        : { role: "assistant", content };
    }
    case "tool":
      return { role: "tool", toolCallId: message.tool_call_id ?? "", content };
    case "function":
      return null;
  }
}

function toolChoiceOf(choice: ChatBody["tool_choice"]): ToolChoice | undefined {
  if (choice === null || choice === undefined) return undefined;
  return typeof choice === "string" ? choice : { name: choice.function.name };
}

/**
 * Normalizes a `POST /v1/chat/completions` body: `developer` messages become `system`, legacy
 * `function` messages are left out. Throws `WireRequestError` when it is invalid.
 */
export function parseChatRequest(body: unknown): WireCall {
  const parsed = parseWith(ChatBodySchema, body);
  const tools = (parsed.tools ?? []).flatMap((tool) =>
    tool.function === undefined
      ? []
      : [
          {
            name: tool.function.name,
            description: tool.function.description ?? "",
            parameters: schemaOf(tool.function.parameters),
          },
        ],
  );
  const format = parsed.response_format;
  return wireCallOf({
    messages: parsed.messages.map(messageOf).filter((message) => message !== null),
    tools,
    toolChoice: toolChoiceOf(parsed.tool_choice),
    maxTokens: parsed.max_completion_tokens ?? parsed.max_tokens,
    temperature: parsed.temperature,
    responseFormat:
      format?.json_schema === undefined
        ? undefined
        : responseFormatOf({ ...format.json_schema, type: format.type }),
    stream: parsed.stream,
    model: parsed.model,
    includeUsage: parsed.stream_options?.include_usage === true,
  });
}
