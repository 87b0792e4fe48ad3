import type { Role } from "@longshot/core";

/** A tool call as it appears in the conversation: the arguments are the JSON text the model wrote. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

export interface SystemMessage {
  readonly role: "system";
  readonly content: string;
}

export interface UserMessage {
  readonly role: "user";
  readonly content: string;
}

export interface AssistantMessage {
  readonly role: "assistant";
  /** `""` when the model only called tools. */
  readonly content: string;
  readonly toolCalls?: readonly ToolCall[];
}

export interface ToolMessage {
  readonly role: "tool";
  /** The id of the tool call this message answers. */
  readonly toolCallId: string;
  readonly content: string;
}

/** One message of a chat, in the OpenAI chat shape (text content only). */
export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** A tool the model may call. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the arguments object. */
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** Whether and which tool the model must call. */
export type ToolChoice = "auto" | "none" | "required" | { readonly name: string };

/**
 * Ask for JSON that follows a schema. Sent as `response_format: { type: "json_schema" }` to
 * endpoints that accept it, silently left out for endpoints that reject it (the prompt must
 * then carry the instructions, as `generateObject` does).
 */
export interface ResponseFormat {
  readonly name: string;
  readonly schema: Readonly<Record<string, unknown>>;
}

/** One model call. */
export interface ModelRequest {
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ToolSpec[];
  readonly toolChoice?: ToolChoice;
  /** Output token limit; defaults to the client's `maxTokens` (LLM_MAX_TOKENS). */
  readonly maxTokens?: number;
  /** Defaults to the client's `temperature` (LLM_TEMPERATURE). */
  readonly temperature?: number;
  /** Overrides the role's model (for example the alternate worker model on a retry). */
  readonly model?: string;
  readonly responseFormat?: ResponseFormat;
}

/** Who is calling, for attribution, accounting and budgets, and how to cancel the call. */
export interface CallOptions {
  readonly role: Role;
  readonly runId: string;
  /** Absent for calls that belong to no task (the root planner). */
  readonly taskId?: string;
  /** The task attempt the call belongs to (1-based), for the ledger and events. */
  readonly attempt?: number;
  readonly signal: AbortSignal;
}
