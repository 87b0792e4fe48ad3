import { z } from "zod";
import type { ChatMessage, ToolChoice } from "./conversation.js";
import { schemaOf, textOf } from "./internal/content.js";
import { wireCallOf } from "./internal/wire-call-of.js";
import type { WireCall } from "./wire-call.js";
import { parseWith } from "./wire-request-error.js";

/**
 * The fields of an Anthropic Messages content block (text, tool_use, tool_result) that longshot
 * reads: one definition for the gateway's requests and the Claude Code stream the agent parses.
 */
export const anthropicBlockShape = {
  type: z.string(),
  text: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
  tool_use_id: z.string().optional(),
  content: z.unknown().optional(),
  is_error: z.boolean().optional(),
};

const BlockSchema = z.object(anthropicBlockShape);

const MessageSchema = z.object({
  role: z.enum(["user", "assistant", "system"]),
  content: z.union([z.string(), z.array(BlockSchema)]),
});

const ToolSchema = z.object({
  type: z.string().nullish(),
  name: z.string(),
  description: z.string().nullish(),
  input_schema: z.unknown().optional(),
});

const MessagesBodySchema = z.object({
  model: z.string().default(""),
  max_tokens: z.number().int().positive().optional(),
  system: z.union([z.string(), z.array(BlockSchema)]).optional(),
  messages: z.array(MessageSchema).min(1),
  tools: z.array(ToolSchema).nullish(),
  tool_choice: z.object({ type: z.string(), name: z.string().optional() }).nullish(),
  temperature: z.number().nullish(),
  stream: z.boolean().nullish(),
});

type Block = z.infer<typeof BlockSchema>;

function blockText(blocks: readonly Block[]): string {
  return textOf(blocks.filter((block) => block.type === "text" || /image|document/.test(block.type)));
}

/** One Anthropic message may become several chat messages: tool results first, then text. */
function messagesOf(message: z.infer<typeof MessageSchema>): ChatMessage[] {
  if (typeof message.content === "string") return [{ role: message.role, content: message.content }];
  const text = blockText(message.content);
  if (message.role === "system") return [{ role: "system", content: text }];
  if (message.role === "assistant") {
    const toolCalls = message.content
      .filter((block) => block.type === "tool_use")
      .map((block) => ({
        id: block.id ?? "",
        name: block.name ?? "",
        arguments: JSON.stringify(block.input ?? {}),
      }));
    return [
      toolCalls.length > 0
        ? { role: "assistant", content: text, toolCalls }
        : { role: "assistant", content: text },
    ];
  }
  const results: ChatMessage[] = message.content
    .filter((block) => block.type === "tool_result")
    .map((block) => ({
      role: "tool",
      toolCallId: block.tool_use_id ?? "",
      content: `${block.is_error ? "Error: " : ""}${textOf(block.content)}`,
    }));
  return text === "" && results.length > 0 ? results : [...results, { role: "user", content: text }];
}

function toolChoiceOf(choice: z.infer<typeof MessagesBodySchema>["tool_choice"]): ToolChoice | undefined {
  switch (choice?.type) {
    case "auto":
      return "auto";
    case "any":
      return "required";
    case "none":
      return "none";
    case "tool":
      return choice.name === undefined ? undefined : { name: choice.name };
    default:
      return undefined;
  }
}

/**
 * Normalizes a `POST /v1/messages` body (Anthropic Messages): tool results come before the text
 * of their message; hosted tools are left out. Throws `WireRequestError` when it is invalid.
 */
export function parseAnthropicRequest(body: unknown): WireCall {
  const parsed = parseWith(MessagesBodySchema, body);
  const system =
    parsed.system === undefined
      ? []
      : [
          {
            role: "system" as const,
            content: typeof parsed.system === "string" ? parsed.system : blockText(parsed.system),
          },
        ];
  // Hosted tools (web search, code execution) have a `type`; only client tools are offered.
  const tools = (parsed.tools ?? [])
    .filter((tool) => tool.type === undefined || tool.type === null || tool.type === "custom")
    .map((tool) => ({
      name: tool.name,
      description: tool.description ?? "",
      parameters: schemaOf(tool.input_schema),
    }));
  return wireCallOf({
    messages: [...system, ...parsed.messages.flatMap(messagesOf)],
    tools,
    toolChoice: toolChoiceOf(parsed.tool_choice),
    maxTokens: parsed.max_tokens,
    temperature: parsed.temperature,
    stream: parsed.stream,
    model: parsed.model,
    includeUsage: true,
  });
}
