import { jsonEvent, type SseEvent } from "@longshot/wire";
import { z } from "zod";
import type { FakeRequest } from "../fake-request.js";
import { chunkText } from "./chunk-text.js";
import type { PreparedReply } from "./prepare-reply.js";
import type { ResolvedUsage } from "./usage.js";

const StreamOptionsSchema = z.object({
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
});

const systemFingerprint = "fp_longshot_fake";

function chatId(request: FakeRequest): string {
  return `chatcmpl-fake${request.index}`;
}

function chatUsage(usage: ResolvedUsage): Record<string, unknown> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** The body of a non-streamed `chat.completion`. */
export function renderChatBody(request: FakeRequest, reply: PreparedReply): unknown {
  const message: Record<string, unknown> = {
    role: "assistant",
    content: reply.text === "" && reply.toolCalls.length > 0 ? null : reply.text,
    refusal: null,
    annotations: [],
  };
  if (reply.toolCalls.length > 0) {
    message.tool_calls = reply.toolCalls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id: chatId(request),
    object: "chat.completion",
    created: reply.created,
    model: request.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: reply.finish }],
    usage: chatUsage(reply.usage),
    service_tier: "default",
    system_fingerprint: systemFingerprint,
  };
}

/**
 * The `chat.completion.chunk` events of a streamed reply: a role delta, text deltas, tool call
 * deltas (name first, then arguments in several pieces), the finish chunk, the usage chunk when
 * `stream_options.include_usage` is set, and `[DONE]`.
 */
export function renderChatStream(request: FakeRequest, reply: PreparedReply): SseEvent[] {
  const options = StreamOptionsSchema.safeParse(request.body);
  const includeUsage = options.success && options.data.stream_options?.include_usage === true;
  const chunk = (choices: unknown[], usage?: ResolvedUsage): SseEvent =>
    jsonEvent(undefined, {
      id: chatId(request),
      object: "chat.completion.chunk",
      created: reply.created,
      model: request.model,
      service_tier: "default",
      system_fingerprint: systemFingerprint,
      choices,
      ...(includeUsage ? { usage: usage === undefined ? null : chatUsage(usage) } : {}),
    });
  const delta = (content: Record<string, unknown>, finish: string | null = null): SseEvent =>
    chunk([{ index: 0, delta: content, logprobs: null, finish_reason: finish }]);

  const events: SseEvent[] = [delta({ role: "assistant", content: "", refusal: null })];
  if (reply.text !== "") {
    for (const piece of chunkText(reply.text, reply.chunkChars)) events.push(delta({ content: piece }));
  }
  reply.toolCalls.forEach((call, index) => {
    events.push(
      delta({
        tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }],
      }),
    );
    for (const piece of chunkText(call.arguments, reply.chunkChars)) {
      events.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  events.push(delta({}, reply.finish));
  if (includeUsage) events.push(chunk([], reply.usage));
  events.push({ event: undefined, data: "[DONE]" });
  return events;
}
