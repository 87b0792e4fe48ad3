// The conversation in the OpenAI chat shape: what every wire protocol is normalized into, and what
// the model client pool sends. `@longshot/llm` re-exports these types.

/** A tool call as it appears in the conversation: the arguments are the JSON text the model wrote. */
export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** Instructions for the model (`system` and `developer` messages). */
export interface SystemMessage {
  readonly role: "system";
  readonly content: string;
}

/** What the user said. */
export interface UserMessage {
  readonly role: "user";
  readonly content: string;
}

/** A turn of the model: its text and the tools it called. */
export interface AssistantMessage {
  readonly role: "assistant";
  /** `""` when the model only called tools. */
  readonly content: string;
  readonly toolCalls?: readonly ToolCall[];
}

/** The result of one tool call. */
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

/** One model call as a client asked for it, whatever protocol it arrived in. */
export interface ConversationRequest {
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ToolSpec[];
  readonly toolChoice?: ToolChoice;
  /** Output token limit, when the client set one. */
  readonly maxTokens?: number;
  /** Sampling temperature, when the client set one. */
  readonly temperature?: number;
  readonly responseFormat?: ResponseFormat;
}
