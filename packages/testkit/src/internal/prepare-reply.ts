import type { FakeContentReply } from "../fake-reply.js";
import type { FakeRequest } from "../fake-request.js";
import { argumentsText, estimateTokens, type ResolvedUsage, resolveUsage } from "./usage.js";

/** A tool call ready to render: id chosen, arguments serialized. */
export interface PreparedToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** Why the model stopped, in protocol-neutral words. */
export type FinishReason = "stop" | "tool_calls" | "length";

/** A content reply with everything a renderer needs resolved. */
export interface PreparedReply {
  readonly text: string;
  readonly toolCalls: readonly PreparedToolCall[];
  readonly finish: FinishReason;
  readonly usage: ResolvedUsage;
  /** Unix seconds. */
  readonly created: number;
  /** Largest number of characters one text or argument delta carries. */
  readonly chunkChars: number;
}

export interface PrepareOptions {
  readonly now: number;
  readonly chunkChars: number;
  /** Prefix of generated tool call ids: `call_` for OpenAI, `toolu_` for Anthropic. */
  readonly toolIdPrefix: string;
}

/**
 * Resolves ids, usage and the finish reason, and truncates text that exceeds the request's own
 * output token limit, as a real model would.
 */
export function prepareReply(
  request: FakeRequest,
  reply: FakeContentReply,
  options: PrepareOptions,
): PreparedReply {
  const base = {
    usage: resolveUsage(request, reply),
    created: Math.floor(options.now / 1000),
    chunkChars: options.chunkChars,
  };
  if ("toolCalls" in reply) {
    return {
      ...base,
      text: reply.text ?? "",
      toolCalls: reply.toolCalls.map((call, position) => ({
        id: call.id ?? `${options.toolIdPrefix}fake${request.index}_${position}`,
        name: call.name,
        arguments: argumentsText(call),
      })),
      finish: "tool_calls",
    };
  }
  const limit = request.maxOutputTokens;
  if (limit !== undefined && estimateTokens(reply.text) > limit) {
    return {
      ...base,
      text: reply.text.slice(0, limit * 4),
      toolCalls: [],
      finish: "length",
      usage: { ...base.usage, outputTokens: reply.usage?.outputTokens ?? limit },
    };
  }
  return { ...base, text: reply.text, toolCalls: [], finish: reply.truncated === true ? "length" : "stop" };
}
