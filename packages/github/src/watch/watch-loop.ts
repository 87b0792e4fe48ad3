import { AbortError, type Clock, type Logger, messageOf } from "@longshot/core";
import type { CycleReport, RepoWatcher } from "./repo-watcher.js";

/** Options of {@link WatchLoop}. */
export interface WatchLoopOptions {
  readonly watchers: readonly RepoWatcher[];
  /** Repositories cycling at once (GITHUB_WATCH_PARALLEL); each runs one cycle at a time. */
  readonly parallel: number;
  /** Time between cycles of a repository (GITHUB_POLL_INTERVAL). */
  readonly intervalMs: number;
  /** Longest wait after repeated errors; default 15 minutes. */
  readonly maxBackoffMs?: number;
  /** Stop (draining runs) at this time, epoch milliseconds; null to run until `signal`. */
  readonly deadline?: number | null;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Aborting stops the loop: runs in flight drain and save their state. */
  readonly signal: AbortSignal;
  readonly onCycle?: (report: CycleReport) => void;
  /** Called with each failed cycle's error (the loop retries with backoff). */
  readonly onError?: (repository: string, error: unknown) => void;
}

/** What a watch ended with. */
export interface WatchSummary {
  readonly cycles: number;
  readonly errors: number;
  readonly reason: "stopped" | "deadline";
}

interface Slot {
  readonly watcher: RepoWatcher;
  busy: boolean;
  failures: number;
  nextAt: number;
}

/**
 * `longshot github --watch`: cycles every repository (at most `parallel` at once, one cycle at
 * a time per repository), each every `intervalMs`, at once again after a cycle that ran
 * something, and with exponential backoff after errors (GitHub down, rate limits). `wake()`
 * (a webhook delivery) makes every idle repository cycle now. At the deadline or when `signal`
 * aborts, runs in flight drain and the loop returns once they have saved their state.
 */
export class WatchLoop {
  readonly #options: WatchLoopOptions;
  readonly #slots: Slot[];
  #wakeUp: (() => void) | null = null;

  constructor(options: WatchLoopOptions) {
    this.#options = options;
    this.#slots = options.watchers.map((watcher) => ({ watcher, busy: false, failures: 0, nextAt: 0 }));
  }

  /** Makes every idle repository cycle as soon as a slot is free. */
  wake(): void {
    const now = this.#options.clock.now();
    for (const slot of this.#slots) slot.nextAt = Math.min(slot.nextAt, now);
    this.#wakeUp?.();
  }

  async run(): Promise<WatchSummary> {
    const { clock, signal } = this.#options;
    const stop = new AbortController();
    const onAbort = (): void => stop.abort(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    const deadline = this.#options.deadline ?? null;
    const inFlight = new Set<Promise<void>>();
    let cycles = 0;
    let errors = 0;
    try {
      while (!stop.signal.aborted) {
        if (deadline !== null && clock.now() >= deadline) {
          stop.abort(new AbortError("the watch's time budget is spent"));
          break;
        }
        for (const slot of this.#slots) {
          if (slot.busy || slot.nextAt > clock.now() || inFlight.size >= this.#options.parallel) continue;
          slot.busy = true;
          const cycle = this.#cycle(slot, stop.signal).then((ok) => {
            cycles += 1;
            if (!ok) errors += 1;
          });
          inFlight.add(cycle);
          void cycle.finally(() => {
            inFlight.delete(cycle);
            this.#wakeUp?.();
          });
        }
        await this.#sleep(deadline, stop.signal);
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      stop.abort(stop.signal.reason ?? new AbortError("stopped"));
      await Promise.all(inFlight);
    }
    return { cycles, errors, reason: deadline !== null && clock.now() >= deadline ? "deadline" : "stopped" };
  }

  async #cycle(slot: Slot, signal: AbortSignal): Promise<boolean> {
    const { clock, intervalMs } = this.#options;
    try {
      const report = await slot.watcher.cycle(signal);
      slot.failures = 0;
      slot.nextAt = report.ran ? clock.now() : clock.now() + intervalMs;
      this.#options.onCycle?.(report);
      return true;
    } catch (error) {
      if (signal.aborted) return true;
      slot.failures += 1;
      const backoff = Math.min(this.#options.maxBackoffMs ?? 900_000, intervalMs * 2 ** slot.failures);
      slot.nextAt = clock.now() + backoff;
      this.#options.logger.warn(
        { repository: slot.watcher.repository, error: messageOf(error), backoffMs: backoff },
        "watch cycle failed",
      );
      this.#options.onError?.(slot.watcher.repository, error);
      return false;
    } finally {
      slot.busy = false;
    }
  }

  /** Sleeps until the next repository is due, a cycle ends, a wake-up, the deadline or a stop. */
  async #sleep(deadline: number | null, signal: AbortSignal): Promise<void> {
    const { clock } = this.#options;
    const idle = this.#slots.filter((slot) => !slot.busy).map((slot) => slot.nextAt);
    const due = Math.min(
      ...idle,
      deadline ?? Number.POSITIVE_INFINITY,
      clock.now() + this.#options.intervalMs,
    );
    const wait = Math.max(0, due - clock.now());
    const woken = new AbortController();
    this.#wakeUp = () => woken.abort();
    try {
      await clock.sleep(Math.max(wait, 10), AbortSignal.any([signal, woken.signal]));
    } catch {
      // Woken up or stopped: the loop looks again.
    } finally {
      this.#wakeUp = null;
    }
  }
}
