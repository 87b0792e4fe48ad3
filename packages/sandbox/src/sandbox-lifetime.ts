import type { Clock } from "@longshot/core";

/** Why a sandbox's lifetime ended on its own: the `SandboxError` reason its operations then carry. */
export type SandboxExpiry = "idle-timeout" | "wall-timeout";

/**
 * The wall and idle timers of one sandbox, on an injected `Clock` (shared by the Docker and
 * E2B providers).
 *
 * The wall timer runs from `start` and fires `wall-timeout` after `limits.wallTimeoutMs`,
 * operations in flight or not. The idle timer runs only while no operation is in flight: it
 * starts with `start`, is cancelled by `begin`, and restarts from the moment the last
 * operation in flight ends, firing `idle-timeout` after `limits.idleTimeoutMs`.
 *
 * `onExpire` is called at most once, with whichever timer fires first, and never after `stop`;
 * the lifetime has stopped by the time it runs. `stop` cancels both timers and is idempotent.
 * Nothing here throws.
 */
export class SandboxLifetime {
  readonly #clock: Clock;
  readonly #wallTimeoutMs: number;
  readonly #idleTimeoutMs: number;
  readonly #onExpire: (why: SandboxExpiry) => void;
  readonly #stopped = new AbortController();
  #idle: AbortController | undefined;
  #active = 0;
  #expired = false;

  constructor(
    limits: { readonly wallTimeoutMs: number; readonly idleTimeoutMs: number },
    clock: Clock,
    onExpire: (why: SandboxExpiry) => void,
  ) {
    this.#clock = clock;
    this.#wallTimeoutMs = limits.wallTimeoutMs;
    this.#idleTimeoutMs = limits.idleTimeoutMs;
    this.#onExpire = onExpire;
  }

  /** Starts both timers. Call once. */
  start(): void {
    this.#wait(this.#wallTimeoutMs, this.#stopped.signal, "wall-timeout");
    this.#restartIdle();
  }

  /**
   * Marks an operation in flight (the sandbox is not idle until it ends); call the returned
   * function when it ends. Calling that function again does nothing.
   */
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

  /** Cancels both timers; `onExpire` is not called afterwards. Idempotent. */
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

  #wait(ms: number, signal: AbortSignal, why: SandboxExpiry): void {
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
