import type { Clock } from "@longshot/core";

/** Why the orchestrator stopped an attempt before the agent finished. */
export type StopReason = "cancelled" | "stuck" | "timeout";

/**
 * One attempt's cancellation: a signal that aborts when the caller cancels, when the wall time
 * runs out, or when nothing happened for the stuck timeout. Time is read from the injected clock,
 * so tests drive it with a `ManualClock`. `stop()` ends the watch; call it when the attempt ends.
 */
export class AttemptWatchdog {
  readonly #controller = new AbortController();
  readonly #clock: Clock;
  readonly #deadline: number;
  readonly #stuckMs: number;
  readonly #watching = new AbortController();
  #lastActivity: number;
  #reason: StopReason | null = null;

  constructor(clock: Clock, limits: { wallTimeMs: number; stuckTimeoutMs: number }, parent: AbortSignal) {
    this.#clock = clock;
    this.#lastActivity = clock.now();
    this.#deadline = this.#lastActivity + limits.wallTimeMs;
    this.#stuckMs = limits.stuckTimeoutMs;
    if (parent.aborted) this.#abort("cancelled");
    else
      parent.addEventListener("abort", () => this.#abort("cancelled"), {
        once: true,
        signal: this.#watching.signal,
      });
    void this.#watch();
  }

  /** Aborts when the attempt must stop. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Why the signal aborted, or null while it has not. */
  get reason(): StopReason | null {
    return this.#reason;
  }

  /** Something happened (a model delta, a tool call, command output): the stuck timer restarts. */
  touch(): void {
    this.#lastActivity = this.#clock.now();
  }

  /** Ends the watch without aborting. Idempotent. */
  stop(): void {
    this.#watching.abort();
  }

  async #watch(): Promise<void> {
    const signal = this.#watching.signal;
    while (!signal.aborted && this.#reason === null) {
      const now = this.#clock.now();
      const stuckAt = this.#lastActivity + this.#stuckMs;
      if (now >= this.#deadline) return this.#abort("timeout");
      if (now >= stuckAt) return this.#abort("stuck");
      try {
        await this.#clock.sleep(Math.min(stuckAt, this.#deadline) - now, signal);
      } catch {
        return;
      }
    }
  }

  #abort(reason: StopReason): void {
    if (this.#reason !== null) return;
    this.#reason = reason;
    this.#watching.abort();
    this.#controller.abort(reason);
  }
}
