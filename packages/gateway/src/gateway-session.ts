import { type Role, type Usage, zeroUsage } from "@longshot/core";

/** What one sandbox may do through the gateway: one attempt of one task, with its limits. */
export interface GatewayGrant {
  readonly runId: string;
  readonly taskId: string;
  /** 1-based attempt number; calls are metered under it. */
  readonly attempt: number;
  /** Role the calls are made and budgeted as; default `worker`. */
  readonly role?: Role;
  /**
   * The model every call of this grant uses, whatever model the CLI names: the sandbox never
   * chooses a model (or an endpoint) itself.
   */
  readonly model: string;
  /** Model calls the attempt may make (AGENT_MAX_TURNS); the next one is refused. */
  readonly maxTurns: number;
  /** Tokens the attempt may use (TASK_MAX_TOKENS); no call starts once they are used. */
  readonly maxTokens?: number;
  /** The token stops working this long after it was issued (the attempt's wall time). */
  readonly ttlMs: number;
}

/** Why the gateway refused a call of a session. Once refused, every later call is refused too. */
export interface GatewayRefusal {
  /** `turns`: AGENT_MAX_TURNS; `tokens`: the attempt's token cap; `budget`: a run or task budget. */
  readonly kind: "turns" | "tokens" | "budget";
  /** One sentence the CLI receives as the error message and the attempt reports. */
  readonly message: string;
}

/** A sandbox's view of the gateway: where to call and with which credential. */
export interface GatewayAccess {
  /** The per-sandbox bearer token (never a real key). */
  readonly token: string;
  /** The gateway's unix socket on the host (bound at the same path into sandboxes). */
  readonly socketPath: string;
}

/**
 * One sandbox's credential and running account: calls and tokens metered by the gateway,
 * the refusal that ended it, and a signal that aborts when a call is refused. `close()`
 * revokes the token; calls in flight are cancelled.
 */
export class GatewaySession implements GatewayAccess {
  readonly token: string;
  readonly socketPath: string;
  readonly grant: GatewayGrant;
  readonly expiresAt: number;
  #calls = 0;
  #usage: Usage = zeroUsage;
  #refusal: GatewayRefusal | null = null;
  readonly #refused = new AbortController();
  readonly #closed = new AbortController();
  readonly #activity = new Set<() => void>();
  readonly #onClose: () => void;

  /** Created by `ModelGateway.open`. */
  constructor(init: {
    readonly token: string;
    readonly socketPath: string;
    readonly grant: GatewayGrant;
    readonly expiresAt: number;
    readonly onClose: () => void;
  }) {
    this.token = init.token;
    this.socketPath = init.socketPath;
    this.grant = init.grant;
    this.expiresAt = init.expiresAt;
    this.#onClose = init.onClose;
  }

  /** Model calls admitted so far (each counts as a turn, whatever became of it). */
  get calls(): number {
    return this.#calls;
  }

  /** Tokens of every call of this session, as the endpoints reported them. */
  get usage(): Usage {
    return this.#usage;
  }

  get refusal(): GatewayRefusal | null {
    return this.#refusal;
  }

  /** Aborts (with the refusal as reason) when the gateway refuses a call of this session. */
  get refused(): AbortSignal {
    return this.#refused.signal;
  }

  /** Aborts when the session is closed; calls in flight use it to stop. */
  get closedSignal(): AbortSignal {
    return this.#closed.signal;
  }

  get closed(): boolean {
    return this.#closed.signal.aborted;
  }

  /** Calls `listener` whenever a call makes progress (a delta arrives); returns the unsubscribe. */
  onActivity(listener: () => void): () => void {
    this.#activity.add(listener);
    return () => this.#activity.delete(listener);
  }

  /**
   * Decides whether one more call may start and counts it: null when it may, else the refusal
   * (sticky: after the first, every call is refused with it).
   */
  admit(): GatewayRefusal | null {
    if (this.#refusal !== null) return this.#refusal;
    const { maxTurns, maxTokens } = this.grant;
    if (this.#calls >= maxTurns) {
      return this.refuse({
        kind: "turns",
        message: `Longshot stopped this attempt: it used all ${maxTurns} model turns it may take (AGENT_MAX_TURNS), so no more model calls are allowed.`,
      });
    }
    const used = this.#usage.promptTokens + this.#usage.completionTokens;
    if (maxTokens !== undefined && used >= maxTokens) {
      return this.refuse({
        kind: "tokens",
        message: `Longshot stopped this attempt: it used ${used} of its ${maxTokens} tokens (TASK_MAX_TOKENS), so no more model calls are allowed.`,
      });
    }
    this.#calls += 1;
    return null;
  }

  /** Records a refusal (the first one wins) and aborts `refused`. */
  refuse(refusal: GatewayRefusal): GatewayRefusal {
    if (this.#refusal === null) {
      this.#refusal = refusal;
      this.#refused.abort(refusal);
    }
    return this.#refusal;
  }

  /** Adds a finished call's tokens. */
  addUsage(usage: Usage): void {
    this.#usage = {
      promptTokens: this.#usage.promptTokens + usage.promptTokens,
      completionTokens: this.#usage.completionTokens + usage.completionTokens,
      cachedTokens: this.#usage.cachedTokens + usage.cachedTokens,
    };
  }

  /** A call made progress. */
  touch(): void {
    for (const listener of this.#activity) listener();
  }

  /** Revokes the token and cancels calls in flight. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.#closed.abort();
    this.#activity.clear();
    this.#onClose();
  }
}
