import type { ChatMessage, ResponseFormat, ToolChoice, ToolSpec } from "../conversation.js";
import type { WireCall } from "../wire-call.js";
import { schemaOf } from "./content.js";

/** What a protocol's parser read, before the rules every protocol shares are applied. */
export interface CallParts {
  readonly messages: readonly ChatMessage[];
  readonly tools: readonly ToolSpec[];
  readonly toolChoice: ToolChoice | undefined;
  readonly maxTokens: number | null | undefined;
  readonly temperature: number | null | undefined;
  readonly responseFormat?: ResponseFormat | undefined;
  readonly stream: boolean | null | undefined;
  readonly model: string;
  readonly includeUsage: boolean;
  readonly customTools?: ReadonlySet<string>;
}

/**
 * The call, with absent and null fields left out: tools only when some are offered, a tool
 * choice only with tools (an endpoint refuses a choice among none), streaming only when asked.
 */
export function wireCallOf(parts: CallParts): WireCall {
  const { messages, tools, toolChoice, maxTokens, temperature, responseFormat } = parts;
  return {
    request: {
      messages,
      ...(tools.length > 0 ? { tools } : {}),
      ...(tools.length > 0 && toolChoice !== undefined ? { toolChoice } : {}),
      ...(maxTokens === null || maxTokens === undefined ? {} : { maxTokens }),
      ...(temperature === null || temperature === undefined ? {} : { temperature }),
      ...(responseFormat === undefined ? {} : { responseFormat }),
    },
    stream: parts.stream === true,
    requestedModel: parts.model,
    includeUsage: parts.includeUsage,
    customTools: parts.customTools ?? new Set(),
  };
}

/** A `json_schema` output format (named `result` when the client gave no name); others are not passed on. */
export function responseFormatOf(
  format:
    | { readonly type: string; readonly name?: string | undefined; readonly schema?: unknown }
    | null
    | undefined,
): ResponseFormat | undefined {
  return format?.type === "json_schema"
    ? { name: format.name ?? "result", schema: schemaOf(format.schema) }
    : undefined;
}
