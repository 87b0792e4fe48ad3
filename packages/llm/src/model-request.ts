import type { Role } from "@longshot/core";
import type { ConversationRequest } from "@longshot/wire";

/** One model call: a conversation in the wire's chat shape, sent as it is, and its overrides. */
export interface ModelRequest extends ConversationRequest {
  /** Output token limit; defaults to the client's `maxTokens` (LLM_MAX_TOKENS). */
  readonly maxTokens?: number;
  /** Defaults to the client's `temperature` (LLM_TEMPERATURE). */
  readonly temperature?: number;
  /** Overrides the role's model (for example the alternate worker model on a retry). */
  readonly model?: string;
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
