import { type Clock, type EmitEvent, type Role, type Usage, zeroUsage } from "@longshot/core";
import type { PriceTable } from "../price-table.js";
import type { UsageLedger } from "../usage-ledger.js";

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
}

export interface CallAccountDeps {
  readonly emit: EmitEvent;
  readonly ledger: UsageLedger;
  readonly prices: PriceTable;
  readonly clock: Clock;
}
