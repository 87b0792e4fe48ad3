import { z } from "zod";
import type { FakeMessage, FakeMessageToolCall, FakeTool } from "../fake-request.js";
import { message, type ParsedBody, parseWith, schemaOf, textOf } from "./parsed-body.js";

const InputItemSchema = z.object({
  type: z.string().optional(),
  role: z.string().optional(),
  content: z.unknown().optional(),
  call_id: z.string().optional(),
  name: z.string().optional(),
  arguments: z.string().optional(),
  input: z.string().optional(),
  output: z.unknown().optional(),
});

const ResponsesToolSchema = z.object({
  type: z.string(),
  name: z.string().optional(),
  description: z.string().optional(),
  parameters: z.unknown().optional(),
});

const ResponsesBodySchema = z.object({
  model: z.string(),
  instructions: z.string().nullish(),
  input: z.union([z.string(), z.array(InputItemSchema)]),
  tools: z.array(ResponsesToolSchema).optional(),
  stream: z.boolean().nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
});

type InputItem = z.infer<typeof InputItemSchema>;

function roleOf(role: string | undefined): FakeMessage["role"] {
  if (role === "assistant") return "assistant";
  if (role === "system" || role === "developer") return "system";
  return "user";
}

/** Appends a call to the assistant message that ends the list, or starts a new one. */
function addToolCall(messages: FakeMessage[], call: FakeMessageToolCall): void {
  const last = messages.at(-1);
  if (last?.role === "assistant") {
    messages[messages.length - 1] = message("assistant", last.content, {
      toolCalls: [...(last.toolCalls ?? []), call],
    });
    return;
  }
  messages.push(message("assistant", "", { toolCalls: [call] }));
}

function addItem(messages: FakeMessage[], item: InputItem): void {
  switch (item.type) {
    case "function_call":
    case "custom_tool_call":
      addToolCall(messages, {
        id: item.call_id ?? "",
        name: item.name ?? "",
        arguments: item.arguments ?? item.input ?? "",
      });
      return;
    case "function_call_output":
    case "custom_tool_call_output":
      messages.push(message("tool", textOf(item.output), { toolCallId: item.call_id }));
      return;
    case undefined:
    case "message":
      messages.push(message(roleOf(item.role), textOf(item.content)));
      return;
    default:
      // reasoning items, web search calls and the like carry nothing a policy matches on.
      return;
  }
}

function toolOf(tool: z.infer<typeof ResponsesToolSchema>): FakeTool {
  return {
    name: tool.name ?? tool.type,
    description: tool.description ?? "",
    parameters: schemaOf(tool.parameters),
  };
}

/** Normalizes a `POST /v1/responses` body; throws BadRequestError when it is invalid. */
export function parseResponsesRequest(body: unknown): ParsedBody {
  const parsed = parseWith(ResponsesBodySchema, body);
  const messages: FakeMessage[] = [];
  if (parsed.instructions) messages.push(message("system", parsed.instructions));
  if (typeof parsed.input === "string") {
    messages.push(message("user", parsed.input));
  } else {
    for (const item of parsed.input) addItem(messages, item);
  }
  return {
    model: parsed.model,
    stream: parsed.stream === true,
    messages,
    tools: (parsed.tools ?? []).map(toolOf),
    maxOutputTokens: parsed.max_output_tokens ?? undefined,
  };
}
