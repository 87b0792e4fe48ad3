/** The wire protocol a request arrived in; the reply is rendered in the same one. */
export type FakeProtocol = "chat" | "responses" | "anthropic";

/** A tool call that appears in the conversation history of a request. */
export interface FakeMessageToolCall {
  readonly id: string;
  readonly name: string;
  /** The arguments exactly as the client sent them (a JSON string). */
  readonly arguments: string;
}

/**
 * One message of the conversation, normalized across protocols: `developer` becomes `system`,
 * Anthropic `tool_result` blocks and Responses `function_call_output` items become `tool`
 * messages, and content parts are joined into plain text.
 */
export interface FakeMessage {
  readonly role: "system" | "user" | "assistant" | "tool";
  readonly content: string;
  readonly toolCalls?: readonly FakeMessageToolCall[];
  /** For `tool` messages: the id of the call this message answers. */
  readonly toolCallId?: string;
}

/** A tool the client offered the model. */
export interface FakeTool {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the arguments (an empty object schema when the client gave none). */
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** Every request the fake server receives, normalized into one shape whatever its protocol. */
export interface FakeRequest {
  /** 0-based arrival order across all model endpoints of one server. */
  readonly index: number;
  readonly protocol: FakeProtocol;
  /** The HTTP path, e.g. `/v1/chat/completions`. */
  readonly path: string;
  readonly model: string;
  readonly stream: boolean;
  readonly messages: readonly FakeMessage[];
  readonly tools: readonly FakeTool[];
  /** Request headers with lower-cased names; repeated headers are joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** The `x-longshot-role` header, when present. */
  readonly role: string | undefined;
  /** The output token limit the client asked for, when it asked. */
  readonly maxOutputTokens: number | undefined;
  /** The parsed JSON body exactly as received. */
  readonly body: unknown;
  /** Milliseconds since the epoch (from the server's clock) when the request arrived. */
  readonly receivedAt: number;
  /** Text of the last `user` message, or `""` when there is none. */
  lastUserText(): string;
  /** The `tool` messages after the last `assistant` message (the results the model must read). */
  lastToolResults(): readonly FakeMessage[];
}

/** The data fields of a {@link FakeRequest}; everything but the convenience methods. */
export type FakeRequestInit = Omit<FakeRequest, "lastUserText" | "lastToolResults">;

/**
 * Builds a {@link FakeRequest} from its fields, adding the convenience methods. The server uses
 * it for every request; tests can use it to call a policy directly.
 */
export function createFakeRequest(init: FakeRequestInit): FakeRequest {
  return {
    ...init,
    lastUserText(): string {
      for (let position = init.messages.length - 1; position >= 0; position--) {
        const message = init.messages[position];
        if (message?.role === "user") return message.content;
      }
      return "";
    },
    lastToolResults(): readonly FakeMessage[] {
      const results: FakeMessage[] = [];
      for (let position = init.messages.length - 1; position >= 0; position--) {
        const message = init.messages[position];
        if (message === undefined || message.role === "assistant") break;
        if (message.role === "tool") results.unshift(message);
      }
      return results;
    },
  };
}
