import type { Clock } from "@longshot/core";

/** One attempt under watch. */
export interface Watch {
  /** Why the attempt was cut, or `null` while it was not. */
  readonly fired: string | null;
  /** Marks activity (a chunk arrived); one clock read. */
  touch(): void;
  /** Ends the watch; idempotent. */
  stop(): void;
}

interface Entry {
  fired: string | null;
  last: number;
  readonly idleMs: number;
  readonly deadline: number;
  readonly totalMs: number;
  readonly onFire: () => void;
}

// A ready-made reason: aborting without one builds a DOMException with a stack trace.
const stopReason = new Error("watchdog idle");

/**
 * Cuts attempts that go silent for longer than their idle limit or run past their total limit.
 * One timer serves every attempt: it wakes a few times per idle period and checks them all, so
 * watching costs a clock read per chunk and nothing per attempt beyond a set entry. An attempt
 * is cut between one and one and a quarter idle periods after its last chunk.
 */
export class StreamWatchdog {
  readonly #clock: Clock;
  readonly #entries = new Set<Entry>();
  #ticker: AbortController | null = null;
  #interval = Number.POSITIVE_INFINITY;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  watch(limits: { readonly idleMs: number; readonly totalMs: number }, onFire: () => void): Watch {
    const now = this.#clock.now();
    const entry: Entry = {
      fired: null,
      last: now,
      idleMs: limits.idleMs,
      totalMs: limits.totalMs,
      deadline: now + limits.totalMs,
      onFire,
    };
    this.#entries.add(entry);
    this.#ensureTicker(Math.max(1, Math.floor(Math.min(limits.idleMs, limits.totalMs) / 4)));
    const clock = this.#clock;
    return {
      get fired() {
        return entry.fired;
      },
      touch: () => {
        entry.last = clock.now();
      },
      stop: () => {
        this.#entries.delete(entry);
        // Let the process exit when no call is in flight instead of keeping a timer alive.
        if (this.#entries.size === 0) this.#stopTicker();
      },
    };
  }

  #stopTicker(): void {
    this.#ticker?.abort(stopReason);
    this.#ticker = null;
    this.#interval = Number.POSITIVE_INFINITY;
  }

  #ensureTicker(interval: number): void {
    if (this.#ticker !== null && interval >= this.#interval) return;
    this.#stopTicker();
    this.#interval = interval;
    const ticker = new AbortController();
    this.#ticker = ticker;
    this.#tick(ticker, interval).catch(() => {});
  }

  async #tick(ticker: AbortController, interval: number): Promise<void> {
    for (;;) {
      try {
        await this.#clock.sleep(interval, ticker.signal);
      } catch {
        return;
      }
      this.#check();
      if (this.#entries.size === 0) {
        if (this.#ticker === ticker) this.#stopTicker();
        return;
      }
    }
  }

  #check(): void {
    const now = this.#clock.now();
    for (const entry of this.#entries) {
      if (now >= entry.deadline) entry.fired = `no complete reply within ${entry.totalMs}ms`;
      else if (now - entry.last >= entry.idleMs) entry.fired = `the stream was silent for ${entry.idleMs}ms`;
      if (entry.fired !== null) {
        this.#entries.delete(entry);
        entry.onFire();
      }
    }
  }
}
