import type { Clock, EndpointConfig } from "@longshot/core";
import OpenAI from "openai";
import PQueue from "p-queue";
import { CircuitBreaker, type CircuitOptions } from "./circuit-breaker.js";
import { defaultQuirks, type ModelQuirks } from "./quirks.js";
import { rateLimitResetMs } from "./retry-delay.js";
import { type TokenGrant, TokenWindow } from "./token-window.js";

export interface EndpointRuntime {
  readonly clock: Clock;
  readonly random: () => number;
  readonly circuit: CircuitOptions;
  /** Weight of the newest latency sample in the moving average. */
  readonly latencySmoothing: number;
  readonly requestTimeoutMs: number;
  readonly fetch: typeof fetch | undefined;
}

/** Permission to send one request; release it exactly once when the attempt ends. */
export interface Admission {
  readonly tokens: TokenGrant | undefined;
  release(): void;
}

const noop = (): void => {};

/**
 * One endpoint's client and live state: its circuit, its shared rate-limit pause, its limits on
 * concurrent requests and tokens per minute, the latency average, and what its models accept.
 */
export class EndpointState {
  readonly name: string;
  readonly url: string;
  readonly weight: number;
  readonly client: OpenAI;
  readonly breaker: CircuitBreaker;
  /** Clock time before which no request may be sent (a 429 pauses every caller). */
  pausedUntil = 0;
  /** Length of the current pause, used to spread the callers that wake from it. */
  pauseLength = 0;
  /** 429s in a row without a success between them; drives the backoff when no header says. */
  rateLimitStreak = 0;
  /** Moving average of the time to response headers, or `undefined` before the first reply. */
  latencyMs: number | undefined;
  inFlight = 0;
  readonly #models: ReadonlySet<string> | undefined;
  readonly #runtime: EndpointRuntime;
  readonly #slots: PQueue | undefined;
  readonly #tokens: TokenWindow | undefined;
  readonly #quirks = new Map<string, ModelQuirks>();

  constructor(config: EndpointConfig, runtime: EndpointRuntime) {
    this.name = config.name;
    this.url = config.endpoint;
    this.weight = config.weight;
    this.#runtime = runtime;
    this.#models = config.models === undefined ? undefined : new Set(config.models);
    this.breaker = new CircuitBreaker(runtime.circuit);
    this.#slots =
      config.maxConcurrency === undefined ? undefined : new PQueue({ concurrency: config.maxConcurrency });
    this.#tokens =
      config.tokensPerMinute === undefined
        ? undefined
        : new TokenWindow(config.tokensPerMinute, runtime.clock);
    this.client = new OpenAI({
      baseURL: config.endpoint,
      // Local servers take no key, but the SDK insists on one; it would otherwise read the env.
      apiKey: config.apiKey === "" ? "none" : config.apiKey,
      adminAPIKey: null,
      organization: null,
      project: null,
      webhookSecret: null,
      maxRetries: 0,
      timeout: runtime.requestTimeoutMs,
      logLevel: "off",
      ...(runtime.fetch === undefined ? {} : { fetch: runtime.fetch }),
    });
  }

  serves(model: string): boolean {
    return this.#models === undefined || this.#models.has(model);
  }

  get models(): readonly string[] | undefined {
    return this.#models === undefined ? undefined : [...this.#models];
  }

  quirks(model: string): ModelQuirks {
    return this.#quirks.get(model) ?? defaultQuirks;
  }

  learnQuirks(model: string, quirks: ModelQuirks): void {
    this.#quirks.set(model, quirks);
  }

  /** Pauses every caller until `now + delayMs` (plus jitter); a longer pause already set wins. */
  pause(delayMs: number): void {
    const jitter = Math.min(1000, delayMs * 0.1) * this.#runtime.random();
    const until = this.#runtime.clock.now() + delayMs + jitter;
    if (until > this.pausedUntil) {
      this.pausedUntil = until;
      this.pauseLength = delayMs;
    }
  }

  /** Learns from a successful response's rate-limit headers: an exhausted window pauses callers. */
  observeHeaders(headers: Headers): void {
    if (
      headers.get("x-ratelimit-remaining-requests") !== "0" &&
      headers.get("x-ratelimit-remaining-tokens") !== "0"
    ) {
      return;
    }
    const reset = rateLimitResetMs(headers, false);
    if (reset !== undefined && reset > 0) this.pause(reset);
  }

  observeLatency(milliseconds: number): void {
    const alpha = this.#runtime.latencySmoothing;
    this.latencyMs =
      this.latencyMs === undefined ? milliseconds : alpha * milliseconds + (1 - alpha) * this.latencyMs;
  }

  /**
   * Admits a request at once when nothing stands in the way (no concurrency limit, no pause, room
   * in the token window); `undefined` when `admit` must wait.
   */
  tryAdmit(estimatedTokens: number): Admission | undefined {
    if (this.#slots !== undefined || this.#runtime.clock.now() < this.pausedUntil) return undefined;
    if (this.#tokens !== undefined && !this.#tokens.fits(estimatedTokens)) return undefined;
    return this.#admission(this.#tokens?.takeNow(estimatedTokens), noop);
  }

  /**
   * Waits for a concurrency slot, the end of any rate-limit pause and room in the token window,
   * in that order (a pause that starts meanwhile is waited out too). Rejects when `signal` aborts.
   */
  async admit(estimatedTokens: number, signal: AbortSignal): Promise<Admission> {
    const release = this.#slots === undefined ? noop : await acquireSlot(this.#slots, signal);
    try {
      for (;;) {
        await this.#waitForPause(signal);
        const tokens =
          this.#tokens === undefined ? undefined : await this.#tokens.take(estimatedTokens, signal);
        if (this.#runtime.clock.now() >= this.pausedUntil) return this.#admission(tokens, release);
        tokens?.settle(0);
      }
    } catch (error) {
      release();
      throw error;
    }
  }

  #admission(tokens: TokenGrant | undefined, releaseSlot: () => void): Admission {
    this.inFlight += 1;
    let released = false;
    return {
      tokens,
      release: () => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
        releaseSlot();
      },
    };
  }

  async #waitForPause(signal: AbortSignal): Promise<void> {
    const clock = this.#runtime.clock;
    while (clock.now() < this.pausedUntil) {
      // Spread the callers that wake together, so the reset is not met by the whole herd at once.
      const spread = Math.min(2000, this.pauseLength * 0.25) * this.#runtime.random();
      await clock.sleep(this.pausedUntil - clock.now() + spread, signal);
    }
  }
}

function acquireSlot(queue: PQueue, signal: AbortSignal): Promise<() => void> {
  return new Promise((resolve, reject) => {
    queue.add(() => new Promise<void>((release) => resolve(release)), { signal }).catch(reject);
  });
}
