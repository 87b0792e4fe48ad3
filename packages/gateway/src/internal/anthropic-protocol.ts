import type { Completion } from "@longshot/llm";
import { jsonEvent, parseAnthropicRequest, type SseEvent, type WireCall } from "@longshot/wire";
import {
  argumentsObject,
  type ErrorKind,
  type GatewayProtocol,
  type ReplyMeta,
  type ReplyRenderer,
} from "./protocol.js";

const stopReasons: Record<Completion["finishReason"], string> = {
  stop: "end_turn",
  tool_calls: "tool_use",
  length: "max_tokens",
  content_filter: "refusal",
  other: "end_turn",
};

const errorTypes: Record<ErrorKind, string> = {
  "invalid-request": "invalid_request_error",
  authentication: "authentication_error",
  permission: "permission_error",
  "not-found": "not_found_error",
  overloaded: "overloaded_error",
  server: "api_error",
};

function anthropicErrorBody(kind: ErrorKind, message: string): unknown {
  return { type: "error", error: { type: errorTypes[kind], message } };
}

function contentOf(completion: Completion): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  if (completion.text !== "") blocks.push({ type: "text", text: completion.text });
  for (const call of completion.toolCalls)
    blocks.push({ type: "tool_use", id: call.id, name: call.name, input: argumentsObject(call.arguments) });
  return blocks;
}

class AnthropicRenderer implements ReplyRenderer {
  readonly #call: WireCall;
  readonly #meta: ReplyMeta;

  constructor(call: WireCall, meta: ReplyMeta) {
    this.#call = call;
    this.#meta = meta;
  }

  #message(completion: Completion | null): Record<string, unknown> {
    const usage = completion?.usage ?? { promptTokens: 0, completionTokens: 0, cachedTokens: 0 };
    return {
      id: `msg_${this.#meta.id}`,
      type: "message",
      role: "assistant",
      model: this.#call.requestedModel,
      content: completion === null ? [] : contentOf(completion),
      stop_reason: completion === null ? null : stopReasons[completion.finishReason],
      stop_sequence: null,
      usage: {
        input_tokens: usage.promptTokens - usage.cachedTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: usage.cachedTokens,
        output_tokens: usage.completionTokens,
      },
    };
  }

  open(): readonly SseEvent[] {
    return [jsonEvent("message_start", { type: "message_start", message: this.#message(null) })];
  }

  finish(completion: Completion): readonly SseEvent[] {
    const events: SseEvent[] = [];
    const block = (index: number, start: unknown, delta: unknown): void => {
      events.push(
        jsonEvent("content_block_start", { type: "content_block_start", index, content_block: start }),
        jsonEvent("content_block_delta", { type: "content_block_delta", index, delta }),
        jsonEvent("content_block_stop", { type: "content_block_stop", index }),
      );
    };
    let index = 0;
    if (completion.text !== "") {
      block(index++, { type: "text", text: "" }, { type: "text_delta", text: completion.text });
    }
    for (const call of completion.toolCalls) {
      const input = JSON.stringify(argumentsObject(call.arguments));
      block(
        index++,
        { type: "tool_use", id: call.id, name: call.name, input: {} },
        { type: "input_json_delta", partial_json: input },
      );
    }
    const { promptTokens, completionTokens, cachedTokens } = completion.usage;
    events.push(
      jsonEvent("message_delta", {
        type: "message_delta",
        delta: { stop_reason: stopReasons[completion.finishReason], stop_sequence: null },
        usage: {
          input_tokens: promptTokens - cachedTokens,
          cache_read_input_tokens: cachedTokens,
          output_tokens: completionTokens,
        },
      }),
      jsonEvent("message_stop", { type: "message_stop" }),
    );
    return events;
  }

  fail(kind: ErrorKind, message: string): readonly SseEvent[] {
    return [jsonEvent("error", anthropicErrorBody(kind, message))];
  }

  body(completion: Completion): unknown {
    return this.#message(completion);
  }
}

/** Anthropic Messages, as Claude Code speaks it. */
export const anthropicProtocol: GatewayProtocol = {
  name: "anthropic",
  parse: parseAnthropicRequest,
  renderer: (call, meta) => new AnthropicRenderer(call, meta),
  errorBody: anthropicErrorBody,
  heartbeat: `event: ping\ndata: ${JSON.stringify({ type: "ping" })}\n\n`,
};
