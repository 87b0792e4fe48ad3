import type { Clock } from "@longshot/core";

const windowMs = 60_000;

interface Entry {
  readonly at: number;
  tokens: number;
}

/** A token grant; `settle` replaces the estimate with what the call really used. */
export interface TokenGrant {
  settle(tokens: number): void;
}

/**
 * A sliding one-minute window of tokens sent to an endpoint. `take` waits until the tokens fit
 * under the limit; a single request larger than the limit goes alone once the window is empty.
 */
export class TokenWindow {
  readonly #limit: number;
  readonly #clock: Clock;
  #entries: Entry[] = [];

  constructor(tokensPerMinute: number, clock: Clock) {
    this.#limit = tokensPerMinute;
    this.#clock = clock;
  }

  /** Tokens counted in the last minute. */
  used(): number {
    this.#prune();
    return this.#entries.reduce((sum, entry) => sum + entry.tokens, 0);
  }

  /** Whether `tokens` fit now. */
  fits(tokens: number): boolean {
    return this.used() + tokens <= this.#limit || this.#entries.length === 0;
  }

  /** Counts `tokens` without checking; use after `fits`. */
  takeNow(tokens: number): TokenGrant {
    const entry: Entry = { at: this.#clock.now(), tokens };
    this.#entries.push(entry);
    return {
      settle: (actual) => {
        entry.tokens = actual;
      },
    };
  }

  /** Waits until `tokens` fit, then counts them. Rejects with the signal's reason when aborted. */
  async take(tokens: number, signal: AbortSignal): Promise<TokenGrant> {
    for (;;) {
      signal.throwIfAborted();
      if (this.fits(tokens)) return this.takeNow(tokens);
      await this.#clock.sleep(this.#waitMs(this.used() + tokens - this.#limit), signal);
    }
  }

  /** Time until at least `excess` tokens leave the window. */
  #waitMs(excess: number): number {
    let freed = 0;
    for (const entry of this.#entries) {
      freed += entry.tokens;
      if (freed >= excess) return Math.max(1, entry.at + windowMs - this.#clock.now());
    }
    const last = this.#entries.at(-1);
    return last === undefined ? 1 : Math.max(1, last.at + windowMs - this.#clock.now());
  }

  #prune(): void {
    const horizon = this.#clock.now() - windowMs;
    if (this.#entries.length > 0 && (this.#entries[0]?.at ?? horizon) <= horizon) {
      this.#entries = this.#entries.filter((entry) => entry.at > horizon);
    }
  }
}
