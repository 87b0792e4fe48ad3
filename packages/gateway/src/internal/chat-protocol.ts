import type { ChatMessage, Completion, ModelRequest, ToolChoice } from "@longshot/llm";
import { z } from "zod";
import {
  type ErrorKind,
  type GatewayProtocol,
  jsonEvent,
  type ParsedCall,
  parseWith,
  type ReplyMeta,
  type ReplyRenderer,
  type SseEvent,
  schemaOf,
  textOf,
} from "./protocol.js";

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

/** Normalizes a `POST /v1/chat/completions` body. */
function parseChat(body: unknown): ParsedCall {
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
  const maxTokens = parsed.max_completion_tokens ?? parsed.max_tokens ?? undefined;
  const toolChoice = toolChoiceOf(parsed.tool_choice);
  const format = parsed.response_format;
  const request: ModelRequest = {
    messages: parsed.messages.map(messageOf).filter((message) => message !== null),
    ...(tools.length > 0 ? { tools } : {}),
    ...(tools.length > 0 && toolChoice !== undefined ? { toolChoice } : {}),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(parsed.temperature === null || parsed.temperature === undefined
      ? {}
      : { temperature: parsed.temperature }),
    ...(format?.type === "json_schema" && format.json_schema !== undefined
      ? {
          responseFormat: {
            name: format.json_schema.name ?? "result",
            schema: schemaOf(format.json_schema.schema),
          },
        }
      : {}),
  };
  return {
    request,
    stream: parsed.stream === true,
    requestedModel: parsed.model,
    includeUsage: parsed.stream_options?.include_usage === true,
    customTools: new Set(),
  };
}

function usageOf(completion: Completion): Record<string, unknown> {
  const { promptTokens, completionTokens, cachedTokens } = completion.usage;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens },
  };
}

function finishReason(completion: Completion): string {
  return completion.finishReason === "other" ? "stop" : completion.finishReason;
}

class ChatRenderer implements ReplyRenderer {
  readonly #call: ParsedCall;
  readonly #meta: ReplyMeta;

  constructor(call: ParsedCall, meta: ReplyMeta) {
    this.#call = call;
    this.#meta = meta;
  }

  #chunk(delta: Record<string, unknown>, finish: string | null): SseEvent {
    return jsonEvent(undefined, {
      id: `chatcmpl-${this.#meta.id}`,
      object: "chat.completion.chunk",
      created: this.#meta.created,
      model: this.#call.requestedModel,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
  }

  open(): readonly SseEvent[] {
    return [this.#chunk({ role: "assistant", content: "" }, null)];
  }

  finish(completion: Completion): readonly SseEvent[] {
    const events: SseEvent[] = [];
    if (completion.text !== "") events.push(this.#chunk({ content: completion.text }, null));
    completion.toolCalls.forEach((call, index) => {
      const piece = {
        index,
        id: call.id,
        type: "function",
        function: { name: call.name, arguments: call.arguments },
      };
      events.push(this.#chunk({ tool_calls: [piece] }, null));
    });
    events.push(this.#chunk({}, finishReason(completion)));
    if (this.#call.includeUsage) {
      events.push(
        jsonEvent(undefined, {
          id: `chatcmpl-${this.#meta.id}`,
          object: "chat.completion.chunk",
          created: this.#meta.created,
          model: this.#call.requestedModel,
          choices: [],
          usage: usageOf(completion),
        }),
      );
    }
    events.push({ event: undefined, data: "[DONE]" });
    return events;
  }

  fail(kind: ErrorKind, message: string): readonly SseEvent[] {
    return [jsonEvent(undefined, chatErrorBody(kind, message))];
  }

  body(completion: Completion): unknown {
    const calls = completion.toolCalls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: call.arguments },
    }));
    return {
      id: `chatcmpl-${this.#meta.id}`,
      object: "chat.completion",
      created: this.#meta.created,
      model: this.#call.requestedModel,
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: completion.text === "" && calls.length > 0 ? null : completion.text,
            ...(calls.length > 0 ? { tool_calls: calls } : {}),
          },
          finish_reason: finishReason(completion),
        },
      ],
      usage: usageOf(completion),
    };
  }
}

const openAiErrorTypes: Record<ErrorKind, string> = {
  "invalid-request": "invalid_request_error",
  authentication: "authentication_error",
  permission: "permission_error",
  "not-found": "invalid_request_error",
  overloaded: "server_error",
  server: "server_error",
};

/** An OpenAI-style error body (`{ error: { message, type, code } }`), shared with the Responses API. */
export function chatErrorBody(kind: ErrorKind, message: string): unknown {
  return { error: { message, type: openAiErrorTypes[kind], param: null, code: kind } };
}

/** OpenAI chat completions, as Pi and OpenCode speak it. */
export const chatProtocol: GatewayProtocol = {
  name: "chat",
  parse: parseChat,
  renderer: (call, meta) => new ChatRenderer(call, meta),
  errorBody: chatErrorBody,
  heartbeat: ": keep-alive\n\n",
};
