import type { ChatMessage, ToolChoice } from "@longshot/wire";
import type {
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";
import type { CallOptions, ModelRequest } from "../model-request.js";
import type { ModelQuirks } from "./quirks.js";

/** The wire body of a streamed chat completion for one model on one endpoint. */
export function chatBody(
  request: ModelRequest,
  model: string,
  settings: { readonly maxTokens: number; readonly temperature: number },
  quirks: ModelQuirks,
): ChatCompletionCreateParamsStreaming {
  const body: ChatCompletionCreateParamsStreaming = {
    model,
    messages: request.messages.map(wireMessage),
    stream: true,
    stream_options: { include_usage: true },
  };
  const maxTokens = request.maxTokens ?? settings.maxTokens;
  if (quirks.maxTokensField === "max_tokens") body.max_tokens = maxTokens;
  else body.max_completion_tokens = maxTokens;
  if (quirks.temperature) body.temperature = request.temperature ?? settings.temperature;
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: "function",
      function: { name: tool.name, description: tool.description, parameters: { ...tool.parameters } },
    }));
    if (request.toolChoice !== undefined) body.tool_choice = wireToolChoice(request.toolChoice);
  }
  if (request.responseFormat !== undefined && quirks.responseFormat) {
    body.response_format = {
      type: "json_schema",
      json_schema: {
        name: request.responseFormat.name,
        schema: { ...request.responseFormat.schema },
        strict: false,
      },
    };
  }
  return body;
}

function wireMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case "system":
    case "user":
      return { role: message.role, content: message.content };
    case "tool":
      return { role: "tool", tool_call_id: message.toolCallId, content: message.content };
    case "assistant": {
      const calls = message.toolCalls ?? [];
      if (calls.length === 0) return { role: "assistant", content: message.content };
      return {
        role: "assistant",
        content: message.content === "" ? null : message.content,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: "function",
          function: { name: call.name, arguments: call.arguments },
        })),
      };
    }
  }
}

function wireToolChoice(choice: ToolChoice): ChatCompletionToolChoiceOption {
  return typeof choice === "string" ? choice : { type: "function", function: { name: choice.name } };
}

/**
 * The `x-longshot-*` headers that tell proxies (and the fake server) who is calling. A compaction
 * call names no task on the wire, so it is never mistaken for one of the task's turns; the
 * ledger still books it to the task, so the task's budget counts it.
 */
export function attributionHeaders(options: CallOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "x-longshot-role": options.role,
    "x-longshot-run": options.runId,
  };
  if (options.taskId !== undefined && options.role !== "compactor") {
    headers["x-longshot-task"] = options.taskId;
    if (options.attempt !== undefined) headers["x-longshot-attempt"] = String(options.attempt);
  }
  return headers;
}
