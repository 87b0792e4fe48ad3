import { jsonEvent, type SseEvent } from "@longshot/wire";
import type { FakeRequest } from "../fake-request.js";
import { chunkText } from "./chunk-text.js";
import type { FinishReason, PreparedReply, PreparedToolCall } from "./prepare-reply.js";

const stopReasons: Record<FinishReason, string> = {
  stop: "end_turn",
  tool_calls: "tool_use",
  length: "max_tokens",
};

/** Arguments as a tool_use `input` object; a string that is not JSON is passed through as is. */
function inputOf(call: PreparedToolCall): unknown {
  try {
    return JSON.parse(call.arguments);
  } catch {
    return call.arguments;
  }
}

function contentBlocks(reply: PreparedReply): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  if (reply.text !== "") blocks.push({ type: "text", text: reply.text });
  for (const call of reply.toolCalls)
    blocks.push({ type: "tool_use", id: call.id, name: call.name, input: inputOf(call) });
  return blocks;
}

function messageObject(
  request: FakeRequest,
  reply: PreparedReply,
  finished: boolean,
): Record<string, unknown> {
  return {
    id: `msg_fake${request.index}`,
    type: "message",
    role: "assistant",
    model: request.model,
    content: finished ? contentBlocks(reply) : [],
    stop_reason: finished ? stopReasons[reply.finish] : null,
    stop_sequence: null,
    usage: {
      input_tokens: reply.usage.inputTokens - reply.usage.cachedInputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: reply.usage.cachedInputTokens,
      output_tokens: finished ? reply.usage.outputTokens : 1,
    },
  };
}

/** The body of a non-streamed Anthropic Messages reply. */
export function renderAnthropicBody(request: FakeRequest, reply: PreparedReply): unknown {
  return messageObject(request, reply, true);
}

function blockEvents(index: number, start: unknown, deltas: unknown[]): Record<string, unknown>[] {
  return [
    { type: "content_block_start", index, content_block: start },
    ...deltas.map((delta) => ({ type: "content_block_delta", index, delta })),
    { type: "content_block_stop", index },
  ];
}

/**
 * The events of a streamed Anthropic Messages reply: `message_start`, a `ping`, one content
 * block per text or tool_use (with `text_delta` / `input_json_delta` pieces), `message_delta`
 * with the stop reason and output usage, and `message_stop`.
 */
export function renderAnthropicStream(request: FakeRequest, reply: PreparedReply): SseEvent[] {
  const bodies: Record<string, unknown>[] = [
    { type: "message_start", message: messageObject(request, reply, false) },
    { type: "ping" },
  ];
  let index = 0;
  if (reply.text !== "") {
    const deltas = chunkText(reply.text, reply.chunkChars).map((text) => ({ type: "text_delta", text }));
    bodies.push(...blockEvents(index++, { type: "text", text: "" }, deltas));
  }
  for (const call of reply.toolCalls) {
    const deltas = chunkText(call.arguments, reply.chunkChars).map((partial_json) => ({
      type: "input_json_delta",
      partial_json,
    }));
    bodies.push(
      ...blockEvents(index++, { type: "tool_use", id: call.id, name: call.name, input: {} }, deltas),
    );
  }
  bodies.push(
    {
      type: "message_delta",
      delta: { stop_reason: stopReasons[reply.finish], stop_sequence: null },
      usage: { output_tokens: reply.usage.outputTokens },
    },
    { type: "message_stop" },
  );
  return bodies.map((body) => jsonEvent(String(body.type), body));
}
