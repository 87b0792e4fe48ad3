import { z } from "zod";
import type { ChatMessage, ToolCall, ToolChoice, ToolSpec } from "./conversation.js";
import { schemaOf, textOf } from "./internal/content.js";
import { responseFormatOf, wireCallOf } from "./internal/wire-call-of.js";
import type { WireCall } from "./wire-call.js";
import { parseWith } from "./wire-request-error.js";

const InputItemSchema = z.object({
  type: z.string().optional(),
  role: z.string().optional(),
  content: z.unknown().optional(),
  call_id: z.string().optional(),
  name: z.string().optional(),
  arguments: z.string().optional(),
  input: z.string().optional(),
  output: z.unknown().optional(),
  action: z.unknown().optional(),
});

const ToolSchema = z.object({
  type: z.string(),
  name: z.string().optional(),
  description: z.string().nullish(),
  parameters: z.unknown().optional(),
  format: z.object({ type: z.string().optional(), definition: z.string().optional() }).nullish(),
});

const ResponsesBodySchema = z.object({
  model: z.string().default(""),
  instructions: z.string().nullish(),
  input: z.union([z.string(), z.array(InputItemSchema)]),
  tools: z.array(ToolSchema).nullish(),
  tool_choice: z.union([z.string(), z.object({ type: z.string(), name: z.string().optional() })]).nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().nullish(),
  stream: z.boolean().nullish(),
  text: z
    .object({
      format: z
        .object({ type: z.string(), name: z.string().optional(), schema: z.unknown().optional() })
        .nullish(),
    })
    .nullish(),
});

type InputItem = z.infer<typeof InputItemSchema>;

function roleOf(role: string | undefined): "system" | "user" | "assistant" {
  if (role === "assistant") return "assistant";
  if (role === "system" || role === "developer") return "system";
  return "user";
}

/** Appends a call to the assistant message ending the list (the chat shape), or starts one. */
function addToolCall(messages: ChatMessage[], call: ToolCall): void {
  const last = messages.at(-1);
  if (last?.role === "assistant") {
    messages[messages.length - 1] = { ...last, toolCalls: [...(last.toolCalls ?? []), call] };
    return;
  }
  messages.push({ role: "assistant", content: "", toolCalls: [call] });
}

function addItem(messages: ChatMessage[], item: InputItem): void {
  const callId = item.call_id ?? "";
  switch (item.type) {
    case "function_call":
      addToolCall(messages, { id: callId, name: item.name ?? "", arguments: item.arguments ?? "" });
      return;
    case "custom_tool_call":
      // Custom (free-form) tools travel to the pool as functions taking one string, `input`.
      addToolCall(messages, {
        id: callId,
        name: item.name ?? "",
        arguments: JSON.stringify({ input: item.input ?? "" }),
      });
      return;
    case "local_shell_call":
      addToolCall(messages, {
        id: callId,
        name: "local_shell",
        arguments: JSON.stringify(item.action ?? {}),
      });
      return;
    case "function_call_output":
    case "custom_tool_call_output":
    case "local_shell_call_output":
      messages.push({ role: "tool", toolCallId: callId, content: textOf(item.output) });
      return;
    case undefined:
    case "message":
      messages.push({ role: roleOf(item.role), content: textOf(item.content) });
      return;
    default:
      // Reasoning items, item references and hosted-tool calls carry nothing the pool can use.
      return;
  }
}

function toolsOf(tools: readonly z.infer<typeof ToolSchema>[]): { specs: ToolSpec[]; custom: Set<string> } {
  const specs: ToolSpec[] = [];
  const custom = new Set<string>();
  for (const tool of tools) {
    if (tool.name === undefined) continue;
    if (tool.type === "function") {
      specs.push({
        name: tool.name,
        description: tool.description ?? "",
        parameters: schemaOf(tool.parameters),
      });
    } else if (tool.type === "custom") {
      custom.add(tool.name);
      const format = tool.format?.definition
        ? `\n\nThe input follows this grammar:\n${tool.format.definition}`
        : "";
      specs.push({
        name: tool.name,
        description: `${tool.description ?? ""}${format}`,
        parameters: {
          type: "object",
          properties: { input: { type: "string", description: "The raw input of the tool." } },
          required: ["input"],
        },
      });
    }
    // Hosted tools (web search, file search) and namespaces are not offered: the sandbox has no
    // network, and the pool's models call plain functions.
  }
  return { specs, custom };
}

function toolChoiceOf(choice: z.infer<typeof ResponsesBodySchema>["tool_choice"]): ToolChoice | undefined {
  if (choice === null || choice === undefined) return undefined;
  if (typeof choice === "string") {
    return choice === "auto" || choice === "none" || choice === "required" ? choice : undefined;
  }
  return choice.name === undefined ? undefined : { name: choice.name };
}

/**
 * Normalizes a `POST /v1/responses` body: custom (free-form) tools become functions taking one
 * string, `input`; hosted tools are left out. Throws `WireRequestError` when it is invalid.
 */
export function parseResponsesRequest(body: unknown): WireCall {
  const parsed = parseWith(ResponsesBodySchema, body);
  const messages: ChatMessage[] = [];
  if (parsed.instructions) messages.push({ role: "system", content: parsed.instructions });
  if (typeof parsed.input === "string") messages.push({ role: "user", content: parsed.input });
  else for (const item of parsed.input) addItem(messages, item);
  const { specs, custom } = toolsOf(parsed.tools ?? []);
  return wireCallOf({
    messages,
    tools: specs,
    toolChoice: toolChoiceOf(parsed.tool_choice),
    maxTokens: parsed.max_output_tokens,
    temperature: parsed.temperature,
    responseFormat: responseFormatOf(parsed.text?.format),
    stream: parsed.stream,
    model: parsed.model,
    includeUsage: true,
    customTools: custom,
  });
}
