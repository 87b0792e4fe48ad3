import { AbortError, type Clock } from "@longshot/core";
import type { SandboxLimits } from "./sandbox.js";
import { destroyedError, SandboxError } from "./sandbox-error.js";
import { type SandboxExpiry, SandboxLifetime } from "./sandbox-lifetime.js";

/** Why a sandbox is gone: destroyed by its owner, or expired. */
export type SandboxGoneReason = "destroyed" | SandboxExpiry;

/** Options of {@link SandboxGate}. */
export interface SandboxGateOptions {
  /** The sandbox's id, named in the errors of a gone sandbox. */
  readonly id: string;
  readonly limits: Pick<SandboxLimits, "wallTimeoutMs" | "idleTimeoutMs">;
  readonly clock: Clock;
  /**
   * Frees the sandbox (kills the container or VM, removes host files). Called once, by the
   * first `destroy` or expiry; what it rejects with is what `destroy` and later operations
   * reject with.
   */
  readonly teardown: () => Promise<void>;
  /** Message of the `exec-failed` `SandboxError` that wraps any failure not already a `SandboxError` or `AbortError`. */
  readonly failureMessage: string;
  /**
   * Whether an operation that succeeds after the sandbox was destroyed under it still rejects
   * with the destroyed error (true), or returns its result (false; the provider then checks
   * `throwIfGone` itself where it matters, such as after a command).
   */
  readonly recheckOnSuccess: boolean;
}

/**
 * The life of one remote sandbox as its operations see it, shared by the Docker and E2B
 * providers: the wall and idle timers (`SandboxLifetime`, started by the constructor), a
 * single teardown, and `run`, which admits an operation only while the sandbox lives and
 * counts it as activity.
 *
 * Once the sandbox is gone (destroyed or expired), every operation rejects with
 * `destroyedError` (reason `destroyed`, `wall-timeout` or `idle-timeout`), but only after the
 * teardown has finished, so a caller never sees the error while processes still run.
 */
export class SandboxGate {
  readonly #options: SandboxGateOptions;
  readonly #lifetime: SandboxLifetime;
  #gone: SandboxGoneReason | undefined;
  #destroying: Promise<void> | undefined;

  constructor(options: SandboxGateOptions) {
    this.#options = options;
    this.#lifetime = new SandboxLifetime(options.limits, options.clock, (why) => void this.destroy(why));
    this.#lifetime.start();
  }

  /**
   * Runs one operation: rejects at once when the sandbox is gone; otherwise the sandbox is not
   * idle until the operation settles. A failure is rethrown as the destroyed error when the
   * sandbox went meanwhile, as is when it is a `SandboxError` or `AbortError`, and wrapped in
   * an `exec-failed` `SandboxError` (with `cause`) otherwise.
   */
  async run<T>(operation: () => Promise<T>): Promise<T> {
    await this.throwIfGone();
    const end = this.#lifetime.begin();
    try {
      const result = await operation();
      if (this.#options.recheckOnSuccess) await this.throwIfGone();
      return result;
    } catch (error) {
      await this.throwIfGone();
      if (error instanceof SandboxError || error instanceof AbortError) throw error;
      throw new SandboxError("exec-failed", this.#options.failureMessage, { cause: error });
    } finally {
      end();
    }
  }

  /** Resolves while the sandbox lives; once it is gone, waits for the teardown and rejects with `destroyedError`. */
  async throwIfGone(): Promise<void> {
    if (this.#gone === undefined) return;
    await this.#destroying;
    throw destroyedError(this.#options.id, this.#gone);
  }

  /**
   * Marks the sandbox gone for `why`, stops the timers and runs the teardown; later calls
   * (any reason) return the same promise. Resolves when the teardown has finished.
   */
  destroy(why: SandboxGoneReason): Promise<void> {
    if (this.#destroying === undefined) {
      this.#gone = why;
      this.#lifetime.stop();
      this.#destroying = this.#options.teardown();
    }
    return this.#destroying;
  }
}
