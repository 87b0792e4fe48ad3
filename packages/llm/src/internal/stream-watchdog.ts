import type { Clock } from "@longshot/core";

/**
 * Cuts an attempt that goes silent for `idleMs` or runs past `totalMs`. `touch` on every chunk
 * is one clock read; the watchdog sleeps once per idle period instead of re-arming a timer per
 * chunk.
 */
export class StreamWatchdog {
  /** Why the watchdog fired, or `null` while it has not. */
  fired: string | null = null;
  readonly #clock: Clock;
  readonly #idleMs: number;
  readonly #totalMs: number;
  readonly #deadline: number;
  readonly #onFire: () => void;
  readonly #stop = new AbortController();
  #last: number;
  readonly #done: Promise<void>;

  constructor(
    clock: Clock,
    limits: { readonly idleMs: number; readonly totalMs: number },
    onFire: () => void,
  ) {
    this.#clock = clock;
    this.#idleMs = limits.idleMs;
    this.#last = clock.now();
    this.#totalMs = limits.totalMs;
    this.#deadline = this.#last + limits.totalMs;
    this.#onFire = onFire;
    this.#done = this.#watch();
  }

  touch(): void {
    this.#last = this.#clock.now();
  }

  /** Stops watching; the watch loop ends at once. */
  stop(): void {
    this.#stop.abort();
  }

  /** Resolves when the watch loop has ended. */
  get done(): Promise<void> {
    return this.#done;
  }

  async #watch(): Promise<void> {
    for (;;) {
      const now = this.#clock.now();
      if (now >= this.#deadline) return this.#fire(`no complete reply within ${this.#totalMs}ms`);
      if (now - this.#last >= this.#idleMs) return this.#fire(`the stream was silent for ${this.#idleMs}ms`);
      const wake = Math.min(this.#last + this.#idleMs, this.#deadline);
      try {
        await this.#clock.sleep(Math.max(1, wake - now), this.#stop.signal);
      } catch {
        return;
      }
    }
  }

  #fire(reason: string): void {
    if (this.#stop.signal.aborted) return;
    this.fired = reason;
    this.#onFire();
  }
}
