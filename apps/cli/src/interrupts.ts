import type { LongshotEvent } from "@longshot/core";
import type { RunDisplay } from "./event-output.js";
import { WaitingFor } from "./waiting-for.js";

/** The part of the engine an interrupt talks to. */
export interface Interruptible {
  send(command: { type: "stop"; reason?: string } | { type: "abort"; reason?: string }): void;
}

export interface RunInterruptsOptions {
  readonly display: RunDisplay;
  /** DRAIN_TIMEOUT in milliseconds: a drain waits this long, then aborts. */
  readonly drainTimeoutMs: number;
  /** Ctrl+C before the engine exists: stop setting the run up. */
  readonly beforeStart: () => void;
  /** How often a countdown line is printed without a dashboard. */
  readonly lineEveryMs?: number;
}

/**
 * Ctrl+C that always answers. The first one drains (running attempts finish, state is saved)
 * and says what the run is waiting for, with a countdown; the second one, or the end of the
 * countdown (DRAIN_TIMEOUT, for any drain: Ctrl+C, `q`, a budget), aborts and tears every
 * sandbox down. Fed with the run's events, it knows what is still running.
 */
export class RunInterrupts {
  readonly #options: RunInterruptsOptions;
  readonly #waiting = new WaitingFor();
  #engine: Interruptible | null = null;
  #count = 0;
  #timer: NodeJS.Timeout | null = null;
  #deadline = 0;
  #lastLine = 0;
  #aborted = false;
  #ended = false;

  constructor(options: RunInterruptsOptions) {
    this.#options = options;
  }

  /** The engine exists: interrupts now drain and abort it. */
  attach(engine: Interruptible): void {
    this.#engine = engine;
  }

  /** Ctrl+C, SIGINT or SIGTERM. */
  interrupt = (): void => {
    this.#count += 1;
    if (this.#engine === null) {
      this.#options.beforeStart();
      return;
    }
    if (this.#count === 1) {
      this.#engine.send({ type: "stop" });
      if (this.#timer === null) this.#startCountdown("Stopping");
      else this.#options.display.status(this.#line("Stopping"));
    } else {
      this.#abort("Aborting: tearing every sandbox down.");
    }
  };

  /** Passes the run's events through, noting what runs and starting the countdown on a drain. */
  async *tap(events: AsyncIterable<LongshotEvent>): AsyncIterable<LongshotEvent> {
    for await (const event of events) {
      this.#waiting.apply(event);
      if (event.type === "run-drain") this.#startCountdown(`Draining (${event.reason})`);
      if (event.type === "run-end") this.dispose();
      yield event;
    }
  }

  /** Stops the countdown (the run ended). */
  dispose(): void {
    this.#ended = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  #startCountdown(what: string): void {
    if (this.#timer !== null || this.#aborted || this.#ended) return;
    const timeout = this.#options.drainTimeoutMs;
    this.#deadline = Date.now() + timeout;
    this.#lastLine = Date.now();
    this.#options.display.status(this.#line(what));
    this.#timer = setInterval(() => this.#tick(what), Math.min(1_000, timeout));
    this.#timer.unref();
  }

  #tick(what: string): void {
    const now = Date.now();
    if (now >= this.#deadline) {
      this.#abort(
        `The drain did not finish within ${Math.round(this.#options.drainTimeoutMs / 1000)} s (DRAIN_TIMEOUT): aborting, as a second Ctrl+C would.`,
      );
      return;
    }
    const every = this.#options.lineEveryMs ?? 10_000;
    if (this.#options.display.mode === "dashboard" || now - this.#lastLine >= every) {
      this.#lastLine = now;
      this.#options.display.status(this.#line(what));
    }
  }

  #line(what: string): string {
    const seconds = Math.max(0, Math.ceil((this.#deadline - Date.now()) / 1000));
    // The countdown first: an 80-column status line cuts the end.
    return `${what}: aborting in ${seconds} s (Ctrl+C again: now); waiting for ${this.#waiting.describe()}.`;
  }

  #abort(line: string): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.dispose();
    this.#options.display.status(line);
    this.#engine?.send({
      type: "abort",
      reason: line.startsWith("The drain") ? "drain timed out" : "aborted by user",
    });
  }
}
