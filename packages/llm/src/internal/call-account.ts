import { type Clock, type EmitEvent, type Role, type Usage, zeroUsage } from "@longshot/core";
import type { CallFailure, Completion } from "../model-result.js";
import type { PriceTable } from "../price-table.js";
import type { UsageLedger } from "../usage-ledger.js";
import type { AttemptFailure } from "./classify-failure.js";
import type { AssembledReply } from "./completion-assembler.js";

export interface CallIdentity {
  readonly callId: string;
  readonly runId: string;
  readonly taskId: string | null;
  readonly role: Role;
  readonly model: string;
}

/**
 * The accounting of one call: announces it once it is dispatched, sums the usage of its
 * attempts, and at the end records it in the ledger and announces how it ended (once).
 */
export class CallAccount {
  readonly identity: CallIdentity;
  #usage: Usage = zeroUsage;
  #endpoint: string | null = null;
  #startedAt = 0;
  #ended = false;
  readonly #deps: CallAccountDeps;

  constructor(identity: CallIdentity, deps: CallAccountDeps) {
    this.identity = identity;
    this.#deps = deps;
  }

  get usage(): Usage {
    return this.#usage;
  }

  get costUsd(): number {
    return this.#deps.prices.costOf(this.identity.model, this.#usage);
  }

  /** The attempt is about to be sent to `endpoint`; the first one emits `model-call-start`. */
  dispatch(endpoint: string): void {
    const first = this.#endpoint === null;
    this.#endpoint = endpoint;
    if (!first) return;
    this.#startedAt = this.#deps.clock.now();
    this.#deps.emit({
      type: "model-call-start",
      callId: this.identity.callId,
      role: this.identity.role,
      taskId: this.identity.taskId,
      model: this.identity.model,
      endpoint,
    });
  }

  /** The call will be tried again: emits `model-call-retry` (endpoint, status, wait). */
  retry(detail: {
    readonly attempt: number;
    readonly endpoint: string;
    readonly status: number | null;
    readonly delayMs: number;
    readonly reason: string;
  }): void {
    const { callId, taskId, role, model } = this.identity;
    this.#deps.emit({ type: "model-call-retry", callId, role, taskId, model, ...detail });
  }

  addUsage(usage: Usage): void {
    this.#usage = {
      promptTokens: this.#usage.promptTokens + usage.promptTokens,
      completionTokens: this.#usage.completionTokens + usage.completionTokens,
      cachedTokens: this.#usage.cachedTokens + usage.cachedTokens,
    };
  }

  /** Records the call and emits `model-call-end`; does nothing for a call never dispatched. */
  end(error: string | null, retries: number): void {
    if (this.#ended || this.#endpoint === null) return;
    this.#ended = true;
    const costUsd = this.costUsd;
    const { callId, runId, taskId, role, model } = this.identity;
    this.#deps.ledger.record({ runId, taskId, role, model, usage: this.#usage, costUsd });
    this.#deps.emit({
      type: "model-call-end",
      callId,
      role,
      taskId,
      model,
      endpoint: this.#endpoint,
      ok: error === null,
      error,
      usage: this.#usage,
      costUsd,
      durationMs: this.#deps.clock.now() - this.#startedAt,
      retries,
    });
  }
  /** Ends the call with a reply. */
  complete(reply: AssembledReply, endpoint: string, retries: number): Completion {
    this.end(null, retries);
    const calls = reply.toolCalls.map(({ id, name, arguments: text }) => ({ id, name, arguments: text }));
    return {
      ok: true,
      callId: this.identity.callId,
      text: reply.text,
      toolCalls: reply.toolCalls,
      finishReason: reply.finishReason,
      usage: this.#usage,
      costUsd: this.costUsd,
      model: this.identity.model,
      endpoint,
      retries,
      message:
        calls.length > 0
          ? { role: "assistant", content: reply.text, toolCalls: calls }
          : { role: "assistant", content: reply.text },
    };
  }

  /** Ends the call with a failure: transient ones whose retries ran out, or a rejection. */
  fail(
    failure: Exclude<AttemptFailure, { kind: "abort" }>,
    retries: number,
    retryable: boolean,
  ): CallFailure {
    const error = retryable ? `${failure.message} (gave up after ${retries} retries)` : failure.message;
    this.end(error, retries);
    return {
      ok: false,
      kind: "failed",
      callId: this.identity.callId,
      retryable,
      status: "status" in failure ? failure.status : null,
      error,
      retries,
      usage: this.#usage,
      costUsd: this.costUsd,
    };
  }
}

export interface CallAccountDeps {
  readonly emit: EmitEvent;
  readonly ledger: UsageLedger;
  readonly prices: PriceTable;
  readonly clock: Clock;
}
