import type { ConversationRequest } from "./conversation.js";

/** A request body of one wire protocol, normalized into the chat shape, plus what its reply must echo. */
export interface WireCall {
  /** The conversation, tools and limits; without `model`, which the client only names. */
  readonly request: ConversationRequest;
  readonly stream: boolean;
  /** The model name the client sent (`""` when it sent none), echoed back in the reply. */
  readonly requestedModel: string;
  /** Chat completions: `stream_options.include_usage`; the other protocols always report usage. */
  readonly includeUsage: boolean;
  /** Responses API: tools declared as `custom` (free-form input), to be called back as such. */
  readonly customTools: ReadonlySet<string>;
}
