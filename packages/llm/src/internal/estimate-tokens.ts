import type { Usage } from "@longshot/core";
import type { ModelRequest } from "../model-request.js";

const charsPerToken = 4;
/** Tokens a message costs beyond its text (role markers and separators). */
const tokensPerMessage = 4;

/** About four characters a token: an upper-leaning guess good enough for budgets and limits. */
export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / charsPerToken);
}

/** Estimated prompt tokens of a request: every message, tool call and tool definition. */
export function estimatePromptTokens(request: ModelRequest): number {
  let tokens = 0;
  for (const message of request.messages) {
    tokens += tokensPerMessage + estimateTextTokens(message.content);
    if (message.role === "assistant") {
      for (const call of message.toolCalls ?? []) {
        tokens += estimateTextTokens(call.name) + estimateTextTokens(call.arguments);
      }
    }
  }
  for (const tool of request.tools ?? []) {
    tokens += estimateTextTokens(tool.name) + estimateTextTokens(tool.description);
    tokens += estimateTextTokens(JSON.stringify(tool.parameters));
  }
  if (request.responseFormat !== undefined)
    tokens += estimateTextTokens(JSON.stringify(request.responseFormat.schema));
  return tokens;
}

/** Usage of a reply the server reported none for: our estimate, so budgets still count it. */
export function estimateUsage(
  request: ModelRequest,
  reply: { readonly text: string; readonly toolCalls: readonly { name: string; arguments: string }[] },
): Usage {
  const output = reply.text + reply.toolCalls.map((call) => call.name + call.arguments).join("");
  return {
    promptTokens: estimatePromptTokens(request),
    completionTokens: estimateTextTokens(output),
    cachedTokens: 0,
  };
}
