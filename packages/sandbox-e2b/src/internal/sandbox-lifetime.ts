import type { Clock } from "@longshot/core";

/** Why a sandbox's lifetime ended on its own. */
export type Expiry = "idle-timeout" | "wall-timeout";

/**
 * The wall and idle timers of one sandbox. The wall timer runs from `start`; the idle timer
 * runs only while no operation is in flight and restarts when the last one ends. `onExpire`
 * fires at most once; `stop` cancels both timers.
 */
export class SandboxLifetime {
  readonly #clock: Clock;
  readonly #wallTimeoutMs: number;
  readonly #idleTimeoutMs: number;
  readonly #onExpire: (why: Expiry) => void;
  readonly #stopped = new AbortController();
  #idle: AbortController | undefined;
  #active = 0;
  #expired = false;

  constructor(
    limits: { readonly wallTimeoutMs: number; readonly idleTimeoutMs: number },
    clock: Clock,
    onExpire: (why: Expiry) => void,
  ) {
    this.#clock = clock;
    this.#wallTimeoutMs = limits.wallTimeoutMs;
    this.#idleTimeoutMs = limits.idleTimeoutMs;
    this.#onExpire = onExpire;
  }

  start(): void {
    this.#wait(this.#wallTimeoutMs, this.#stopped.signal, "wall-timeout");
    this.#restartIdle();
  }

  /** Marks an operation in flight; call the returned function when it ends. */
  begin(): () => void {
    this.#active += 1;
    this.#idle?.abort();
    this.#idle = undefined;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#active -= 1;
      if (this.#active === 0) this.#restartIdle();
    };
  }

  stop(): void {
    this.#stopped.abort();
  }

  #restartIdle(): void {
    if (this.#stopped.signal.aborted) return;
    this.#idle?.abort();
    this.#idle = new AbortController();
    this.#wait(
      this.#idleTimeoutMs,
      AbortSignal.any([this.#idle.signal, this.#stopped.signal]),
      "idle-timeout",
    );
  }

  #wait(ms: number, signal: AbortSignal, why: Expiry): void {
    this.#clock.sleep(ms, signal).then(
      () => {
        if (this.#expired || this.#stopped.signal.aborted) return;
        this.#expired = true;
        this.stop();
        this.#onExpire(why);
      },
      () => undefined,
    );
  }
}
