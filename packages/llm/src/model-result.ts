import type { Usage } from "@longshot/core";
import type { AssistantMessage, ToolCall } from "@longshot/wire";

/** Why the model stopped. `other` covers anything a server reports beyond the usual four. */
export type FinishReason = "stop" | "tool_calls" | "length" | "content_filter" | "other";

/** A tool call of a reply, with its arguments parsed as JSON but not validated. */
export interface CompletedToolCall extends ToolCall {
  /** The parsed arguments; `undefined` when they are not valid JSON (see `inputError`). */
  readonly input: unknown;
  /** Why the arguments could not be parsed, or `null`. */
  readonly inputError: string | null;
}

/** A model call that returned a reply. */
export interface Completion {
  readonly ok: true;
  readonly callId: string;
  readonly text: string;
  readonly toolCalls: readonly CompletedToolCall[];
  readonly finishReason: FinishReason;
  /** Tokens of every attempt of the call (a retried call may have paid for a partial attempt). */
  readonly usage: Usage;
  readonly costUsd: number;
  readonly model: string;
  /** Name of the endpoint that answered. */
  readonly endpoint: string;
  /** Attempts after the first. */
  readonly retries: number;
  /** The reply as a message to append to the conversation. */
  readonly message: AssistantMessage;
}

/**
 * A call refused before it was sent because it could exceed a budget. Nothing reached the
 * server. The engine should stop planning and drain.
 */
export interface BudgetRefusal {
  readonly ok: false;
  readonly kind: "budget";
  readonly scope: "run" | "task";
  readonly resource: "usd" | "tokens";
  readonly limit: number;
  /** Spent so far in this scope, including calls still in flight (at their estimate). */
  readonly used: number;
  /** What this call could cost at most: estimated prompt plus its output token limit. */
  readonly estimate: number;
  readonly message: string;
}

/** A call that failed after the retries it was allowed, or that a server refused outright. */
export interface CallFailure {
  readonly ok: false;
  readonly kind: "failed";
  readonly callId: string;
  /**
   * True when the failure was transient (rate limits, 5xx, timeouts, dropped connections) and
   * the retries ran out; false when the server rejected the request itself (a 4xx).
   */
  readonly retryable: boolean;
  /** HTTP status of the last failure, or `null` when there was none (timeout, connection). */
  readonly status: number | null;
  readonly error: string;
  readonly retries: number;
  readonly usage: Usage;
  readonly costUsd: number;
}

/** What `complete` returns: a reply, or an expected failure as a value. */
export type CompletionResult = Completion | BudgetRefusal | CallFailure;

/** A piece of a streamed reply. */
export type ModelDelta =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "tool-call-start"; readonly index: number; readonly id: string; readonly name: string }
  | { readonly type: "tool-call-delta"; readonly index: number; readonly arguments: string }
  | { readonly type: "usage"; readonly usage: Usage }
  /** The attempt failed and the call starts over: drop the text and tool calls received so far. */
  | { readonly type: "retry"; readonly attempt: number; readonly endpoint: string; readonly reason: string }
  /** Always the last delta: the same value `complete` returns. */
  | { readonly type: "finish"; readonly result: CompletionResult };
