/**
 * Token counts a reply reports. Any count left out is estimated from text length (about four
 * characters a token), so usage is plausible and deterministic.
 */
export interface FakeUsage {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  /** Part of `inputTokens` served from the prompt cache. Defaults to 0. */
  readonly cachedInputTokens?: number;
}

/** A tool call the fake model makes. The tool need not exist in the request. */
export interface FakeToolCall {
  readonly name: string;
  /** An object is serialized as JSON; a string is sent verbatim (so it may be invalid JSON). */
  readonly arguments: Readonly<Record<string, unknown>> | string;
  /** Defaults to a deterministic id derived from the request index. */
  readonly id?: string;
}

/** The model answers with text. */
export interface FakeTextReply {
  readonly text: string;
  readonly usage?: FakeUsage;
  /**
   * Report the reply as cut short by the output token limit (`length` / `max_output_tokens` /
   * `max_tokens`). A reply longer than the request's own token limit is truncated anyway.
   */
  readonly truncated?: boolean;
}

/** The model calls one or more tools, optionally after some text. */
export interface FakeToolCallsReply {
  readonly toolCalls: readonly FakeToolCall[];
  readonly text?: string;
  readonly usage?: FakeUsage;
}

/** HTTP 429 with `Retry-After` and `x-ratelimit-reset-*` headers. */
export interface RateLimitFault {
  readonly fault: "rate-limit";
  readonly retryAfterSeconds: number;
  /** Extra response headers, merged over the defaults. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** An HTTP 5xx error with a protocol-shaped JSON error body. */
export interface ServerErrorFault {
  readonly fault: "server-error";
  readonly status: 500 | 502 | 503;
  readonly message?: string;
}

/**
 * Waits `ms` milliseconds before answering with `reply` (time to first byte). `then` is
 * accepted as another name for `reply`, though Biome flags objects with a `then` property.
 */
export type DelayFault =
  | { readonly fault: "delay"; readonly ms: number; readonly reply: FakeReply }
  | { readonly fault: "delay"; readonly ms: number; readonly then: FakeReply };

/**
 * Starts the answer and then sends nothing until the client goes away: a streamed request gets
 * its headers and opening event, a plain request gets nothing at all.
 */
export interface HangFault {
  readonly fault: "hang";
}

/**
 * Sends the first `afterChunks` stream events of `reply` (default: a short text reply) and then
 * destroys the connection. A plain request gets a partial JSON body and the same ending.
 */
export interface CutFault {
  readonly fault: "cut";
  readonly afterChunks: number;
  readonly reply?: FakeTextReply | FakeToolCallsReply;
}

/** A `200` whose JSON body (or first stream event after the opening one) is not valid JSON. */
export interface MalformedJsonFault {
  readonly fault: "malformed-json";
}

/** A reply that misbehaves on purpose. */
export type FakeFault =
  | RateLimitFault
  | ServerErrorFault
  | DelayFault
  | HangFault
  | CutFault
  | MalformedJsonFault;

/** What a policy answers with; the server renders it in the protocol of the request. */
export type FakeReply = FakeTextReply | FakeToolCallsReply | FakeFault;

/** A reply that carries model output (not a fault). */
export type FakeContentReply = FakeTextReply | FakeToolCallsReply;
