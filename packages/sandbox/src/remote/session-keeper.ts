import type { Clock } from "@longshot/core";
import type { RemoteService, RemoteSession } from "./remote-service.js";
import { isTransient } from "./transient.js";

/**
 * Holds the connection to one remote sandbox and reconnects after transient failures (dropped
 * connections, gateway errors, rate limits) with exponential backoff. Idempotent calls are
 * retried on the new connection; a command that may already have run is not re-run: the
 * error is rethrown once the connection is back, for the caller to report.
 */
export class SessionKeeper {
  #session: RemoteSession;
  readonly #client: RemoteService;
  readonly #clock: Clock;
  readonly #retries: number;

  constructor(client: RemoteService, session: RemoteSession, clock: Clock, retries: number) {
    this.#client = client;
    this.#session = session;
    this.#clock = clock;
    this.#retries = retries;
  }

  get sandboxId(): string {
    return this.#session.sandboxId;
  }

  /** Number of reconnects so far (for diagnostics). */
  reconnects = 0;

  async call<T>(
    operation: (session: RemoteSession) => Promise<T>,
    options: { readonly idempotent: boolean; readonly signal?: AbortSignal },
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await operation(this.#session);
      } catch (error) {
        if (!isTransient(error) || attempt >= this.#retries || options.signal?.aborted) throw error;
        await this.#reconnect(attempt, options.signal);
        if (!options.idempotent) throw error;
      }
    }
  }

  async #reconnect(attempt: number, signal: AbortSignal | undefined): Promise<void> {
    for (let retry = attempt; ; retry++) {
      await this.#clock.sleep(200 * 2 ** retry, signal);
      try {
        this.#session = await this.#client.connect(
          this.#session.sandboxId,
          signal === undefined ? {} : { signal },
        );
        this.reconnects += 1;
        return;
      } catch (error) {
        if (!isTransient(error) || retry >= this.#retries) throw error;
      }
    }
  }
}
