import { z } from "zod";
import type { FakeMessage } from "../fake-request.js";
import { message, type ParsedBody, parseWith, schemaOf, textOf } from "./parsed-body.js";

const BlockSchema = z.object({
  type: z.string(),
  text: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
  tool_use_id: z.string().optional(),
  content: z.unknown().optional(),
});

const AnthropicMessageSchema = z.object({
  // Claude Code also sends `system` entries inside `messages`; they become system messages.
  role: z.enum(["user", "assistant", "system"]),
  content: z.union([z.string(), z.array(BlockSchema)]),
});

const AnthropicToolSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  input_schema: z.unknown().optional(),
});

const AnthropicBodySchema = z.object({
  model: z.string(),
  max_tokens: z.number().int().positive(),
  system: z.union([z.string(), z.array(BlockSchema)]).optional(),
  messages: z.array(AnthropicMessageSchema).min(1),
  tools: z.array(AnthropicToolSchema).optional(),
  stream: z.boolean().optional(),
});

type AnthropicMessage = z.infer<typeof AnthropicMessageSchema>;

/** One Anthropic message may become several: tool results first, then the user's text. */
function normalizeMessage(input: AnthropicMessage): FakeMessage[] {
  if (typeof input.content === "string") return [message(input.role, input.content)];
  const text = textOf(input.content.filter((block) => block.type === "text"));
  if (input.role === "system") return [message("system", text)];
  if (input.role === "assistant") {
    const toolCalls = input.content
      .filter((block) => block.type === "tool_use")
      .map((block) => ({
        id: block.id ?? "",
        name: block.name ?? "",
        arguments: JSON.stringify(block.input ?? {}),
      }));
    return [message("assistant", text, { toolCalls })];
  }
  const results = input.content
    .filter((block) => block.type === "tool_result")
    .map((block) => message("tool", textOf(block.content), { toolCallId: block.tool_use_id }));
  return text === "" && results.length > 0 ? results : [...results, message("user", text)];
}

/** Normalizes a `POST /v1/messages` body; throws BadRequestError when it is invalid. */
export function parseAnthropicRequest(body: unknown): ParsedBody {
  const parsed = parseWith(AnthropicBodySchema, body);
  const system = parsed.system === undefined ? [] : [message("system", textOf(parsed.system))];
  return {
    model: parsed.model,
    stream: parsed.stream === true,
    messages: [...system, ...parsed.messages.flatMap(normalizeMessage)],
    tools: (parsed.tools ?? []).map((tool) => ({
      name: tool.name,
      description: tool.description ?? "",
      parameters: schemaOf(tool.input_schema),
    })),
    maxOutputTokens: parsed.max_tokens,
  };
}
