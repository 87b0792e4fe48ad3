import type { Completion } from "@longshot/llm";
import { jsonEvent, parseChatRequest, type SseEvent, type WireCall } from "@longshot/wire";
import type { ErrorKind, GatewayProtocol, ReplyMeta, ReplyRenderer } from "./protocol.js";

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
  readonly #call: WireCall;
  readonly #meta: ReplyMeta;

  constructor(call: WireCall, meta: ReplyMeta) {
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
  parse: parseChatRequest,
  renderer: (call, meta) => new ChatRenderer(call, meta),
  errorBody: chatErrorBody,
  heartbeat: ": keep-alive\n\n",
};
