import type { FakeContentReply, FakeToolCall, FakeUsage } from "../fake-reply.js";
import type { FakeRequest } from "../fake-request.js";

/** Usage with every count resolved. */
export interface ResolvedUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens: number;
}

const charsPerToken = 4;

/** About four characters a token, at least one token for any non-empty text. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / charsPerToken);
}

/** The JSON text of a tool call's arguments, as it goes on the wire. */
export function argumentsText(call: FakeToolCall): string {
  return typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments);
}

function promptText(request: FakeRequest): string {
  const parts: string[] = [];
  for (const message of request.messages) {
    parts.push(message.role, message.content);
    for (const call of message.toolCalls ?? []) parts.push(call.name, call.arguments);
  }
  for (const tool of request.tools) parts.push(tool.name, tool.description, JSON.stringify(tool.parameters));
  return parts.join(" ");
}

function outputText(reply: FakeContentReply): string {
  if ("toolCalls" in reply) {
    return [reply.text ?? "", ...reply.toolCalls.map((call) => `${call.name} ${argumentsText(call)}`)].join(
      " ",
    );
  }
  return reply.text;
}

/** Fills in the counts a reply left out from the length of the prompt and the output. */
export function resolveUsage(request: FakeRequest, reply: FakeContentReply): ResolvedUsage {
  const given: FakeUsage = reply.usage ?? {};
  return {
    inputTokens: given.inputTokens ?? Math.max(1, estimateTokens(promptText(request))),
    outputTokens: given.outputTokens ?? Math.max(1, estimateTokens(outputText(reply))),
    cachedInputTokens: given.cachedInputTokens ?? 0,
  };
}
