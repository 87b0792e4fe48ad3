import type { Clock } from "@longshot/core";

/** A sleep that ends early when woken; a wake while nobody sleeps makes the next sleep return at once. */
export class Wakeup {
  #wake: (() => void) | null = null;
  #pending = false;

  wake(): void {
    this.#pending = true;
    this.#wake?.();
  }

  /** Resolves after `ms`, on a wake or when `signal` aborts; never rejects. */
  async sleep(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.#pending || signal?.aborted === true) {
      this.#pending = false;
      return;
    }
    const woken = new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
    const timer = new AbortController();
    const onAbort = (): void => timer.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      await Promise.race([clock.sleep(ms, timer.signal).catch(() => undefined), woken]);
    } finally {
      timer.abort();
      signal?.removeEventListener("abort", onAbort);
      this.#wake = null;
      this.#pending = false;
    }
  }
}
