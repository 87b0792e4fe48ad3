import { type Clock, type EndpointConfig, systemClock, UserError } from "@longshot/core";
import type { CircuitState } from "./internal/circuit-breaker.js";
import { type Admission, EndpointState } from "./internal/endpoint-state.js";
import { SmoothWeightedRoundRobin } from "./internal/smooth-weighted.js";

export type { CircuitState } from "./internal/circuit-breaker.js";

export interface EndpointPoolOptions {
  readonly clock?: Clock;
  /** Source of jitter in [0, 1); default `Math.random`. */
  readonly random?: () => number;
  /** The fetch the SDK clients use; default the global fetch. */
  readonly fetch?: typeof fetch;
  /** Consecutive failures (5xx, timeouts, dropped connections) that take an endpoint out; default 3. */
  readonly failureThreshold?: number;
  /** How long an endpoint stays out before one trial call; default 30 s, doubling per failed trial. */
  readonly cooldownMs?: number;
  /** Longest cool-down; default 5 minutes. */
  readonly maxCooldownMs?: number;
  /** Time before a request without response headers is abandoned; default 600 s. */
  readonly requestTimeoutMs?: number;
}

/** What the pool knows about one endpoint right now. */
export interface EndpointStatus {
  readonly name: string;
  readonly url: string;
  readonly weight: number;
  readonly circuit: CircuitState;
  /** Moving average of the time to response headers; `null` before the first reply. */
  readonly latencyMs: number | null;
  readonly inFlight: number;
  /** Clock time until which a rate limit pauses every caller; `null` when not paused. */
  readonly pausedUntil: number | null;
  readonly models: readonly string[] | undefined;
}

/** An endpoint chosen and admitted for one attempt. */
export interface Lease {
  readonly endpoint: EndpointState;
  readonly admission: Admission;
}

/**
 * The endpoints every call is routed over: smooth weighted round robin, with weights scaled down
 * for endpoints slower than the fastest one, endpoints with an open circuit left out, paused
 * (rate-limited) endpoints used only when no other can serve, and per-endpoint limits on
 * concurrency and tokens per minute.
 */
export class EndpointPool {
  readonly #endpoints: readonly EndpointState[];
  readonly #clock: Clock;
  readonly #router = new SmoothWeightedRoundRobin();

  /** Throws `UserError` when `endpoints` is empty or two share a name. */
  constructor(endpoints: readonly EndpointConfig[], options: EndpointPoolOptions = {}) {
    if (endpoints.length === 0) {
      throw new UserError(
        "No model endpoint is configured; set LLM_BASE_URL and LLM_API_KEY, or LLM_ENDPOINTS.",
      );
    }
    const names = new Set<string>();
    for (const endpoint of endpoints) {
      if (names.has(endpoint.name)) {
        throw new UserError(
          `Two endpoints in LLM_ENDPOINTS are named "${endpoint.name}"; give each a unique name.`,
        );
      }
      names.add(endpoint.name);
    }
    this.#clock = options.clock ?? systemClock;
    const runtime = {
      clock: this.#clock,
      random: options.random ?? Math.random,
      circuit: {
        failureThreshold: options.failureThreshold ?? 3,
        cooldownMs: options.cooldownMs ?? 30_000,
        maxCooldownMs: options.maxCooldownMs ?? 300_000,
      },
      latencySmoothing: 0.3,
      requestTimeoutMs: options.requestTimeoutMs ?? 600_000,
      fetch: options.fetch,
    };
    this.#endpoints = endpoints.map((endpoint) => new EndpointState(endpoint, runtime));
  }

  status(): EndpointStatus[] {
    const now = this.#clock.now();
    return this.#endpoints.map((endpoint) => ({
      name: endpoint.name,
      url: endpoint.url,
      weight: endpoint.weight,
      circuit: endpoint.breaker.state(now),
      latencyMs: endpoint.latencyMs ?? null,
      inFlight: endpoint.inFlight,
      pausedUntil: endpoint.pausedUntil > now ? endpoint.pausedUntil : null,
      models: endpoint.models,
    }));
  }

  /** Throws `UserError` when no endpoint lists `model` (endpoints without a list serve any). */
  assertServed(model: string): void {
    if (!this.#endpoints.some((endpoint) => endpoint.serves(model))) {
      throw new UserError(
        `No endpoint serves the model "${model}"; add it to the "models" of an endpoint in LLM_ENDPOINTS, or choose another model.`,
      );
    }
  }

  /** Whether an endpoint other than those in `avoid` could take a call for `model` right now. */
  hasAlternative(model: string, avoid: ReadonlySet<string>): boolean {
    const now = this.#clock.now();
    return this.#endpoints.some(
      (endpoint) =>
        endpoint.serves(model) &&
        !avoid.has(endpoint.name) &&
        endpoint.breaker.allows(now) &&
        endpoint.pausedUntil <= now,
    );
  }

  /**
   * Chooses an endpoint for `model`, preferring those not in `avoid`, and admits the request:
   * at once when nothing stands in the way (no promise then), otherwise after waiting for a
   * concurrency slot, a rate-limit pause or room in the token window. When every endpoint's
   * circuit is open, waits for the first trial. A promise rejects with the signal's reason when
   * aborted. Throws `UserError` when no endpoint serves the model.
   */
  acquire(
    model: string,
    avoid: ReadonlySet<string>,
    estimatedTokens: number,
    signal: AbortSignal,
  ): Lease | Promise<Lease> {
    this.assertServed(model);
    const now = this.#clock.now();
    const endpoint = this.#choose(model, avoid, now);
    if (endpoint !== undefined) {
      const admission = endpoint.tryAdmit(estimatedTokens);
      if (admission !== undefined) {
        endpoint.breaker.onDispatch(now);
        return { endpoint, admission };
      }
    }
    return this.#acquireLater(model, avoid, estimatedTokens, signal, endpoint);
  }

  async #acquireLater(
    model: string,
    avoid: ReadonlySet<string>,
    estimatedTokens: number,
    signal: AbortSignal,
    chosen: EndpointState | undefined,
  ): Promise<Lease> {
    let endpoint = chosen;
    for (;;) {
      signal.throwIfAborted();
      const now = this.#clock.now();
      endpoint ??= this.#choose(model, avoid, now);
      if (endpoint === undefined) {
        await this.#clock.sleep(this.#untilTrial(model, now), signal);
        continue;
      }
      endpoint.breaker.onDispatch(now);
      try {
        const admission = await endpoint.admit(estimatedTokens, signal);
        return { endpoint, admission };
      } catch (error) {
        endpoint.breaker.onNeutral();
        throw error;
      }
    }
  }

  #choose(model: string, avoid: ReadonlySet<string>, now: number): EndpointState | undefined {
    const open = this.#endpoints.filter((endpoint) => endpoint.serves(model) && endpoint.breaker.allows(now));
    const fresh = open.filter((endpoint) => !avoid.has(endpoint.name));
    const usable = fresh.length > 0 ? fresh : open;
    const ready = usable.filter((endpoint) => endpoint.pausedUntil <= now);
    const choices = ready.length > 0 ? ready : usable;
    if (choices.length === 0) return undefined;
    if (choices.length === 1) return choices[0];
    const fastest = Math.min(...choices.map((endpoint) => endpoint.latencyMs ?? Number.POSITIVE_INFINITY));
    const index = this.#router.pick(
      choices.map((endpoint) => ({
        key: endpoint.name,
        weight: endpoint.weight * speedFactor(endpoint, fastest),
      })),
    );
    return choices[index];
  }

  #untilTrial(model: string, now: number): number {
    const trials = this.#endpoints
      .filter((endpoint) => endpoint.serves(model) && endpoint.breaker.state(now) === "open")
      .map((endpoint) => endpoint.breaker.openUntil - now);
    // Every circuit is half-open with its trial in flight: look again shortly.
    return Math.max(10, trials.length > 0 ? Math.min(...trials) : 100);
  }
}

/** An endpoint twice as slow as the fastest gets half its weight, never less than a tenth. */
function speedFactor(endpoint: EndpointState, fastest: number): number {
  if (endpoint.latencyMs === undefined || !Number.isFinite(fastest) || endpoint.latencyMs <= 0) return 1;
  return Math.min(1, Math.max(0.1, fastest / endpoint.latencyMs));
}
