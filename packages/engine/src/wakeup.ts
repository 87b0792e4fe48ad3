import type { Clock } from "@longshot/core";

/** A level-triggered wake-up: `wake()` before `wait()` is not lost. */
export class Wakeup {
  #pending = false;
  #resolve: (() => void) | null = null;

  wake(): void {
    this.#pending = true;
    const resolve = this.#resolve;
    this.#resolve = null;
    resolve?.();
  }

  /** Resolves at the next wake (or at once if one is pending), or after `timeoutMs`. */
  async wait(clock: Clock, timeoutMs: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return;
    }
    const timeout = new AbortController();
    await Promise.race([
      new Promise<void>((resolve) => {
        this.#resolve = resolve;
      }),
      clock.sleep(timeoutMs, timeout.signal).catch(() => undefined),
    ]);
    timeout.abort();
    this.#resolve = null;
    this.#pending = false;
  }
}
