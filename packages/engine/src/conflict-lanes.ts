import { AbortError } from "@longshot/core";

/**
 * One lane per conflicted file: resolutions of conflicts in the same file take turns. Every
 * landing in a hot file makes every resolution of it in progress stale (the head it was made
 * for is gone), so resolving them side by side costs a round per landing; taking turns costs
 * each task one resolution against the newest head. Turns are granted in request order.
 */
export class ConflictLanes {
  readonly #tails = new Map<string, Promise<void>>();

  /**
   * Waits for the turn of every file in `files` (in sorted order, so two holders never wait for
   * each other) and resolves with a release function, and whether anyone was ahead (then what
   * the caller knew about the head is stale). Rejects with `AbortError` when `signal` aborts
   * while waiting; the turns taken so far are released.
   */
  async acquire(
    files: readonly string[],
    signal: AbortSignal,
  ): Promise<{ release: () => void; waited: boolean }> {
    const releases: (() => void)[] = [];
    const release = (): void => {
      for (const done of releases.splice(0)) done();
    };
    let waited = false;
    try {
      for (const file of [...new Set(files)].sort()) {
        const previous = this.#tails.get(file);
        let done!: () => void;
        const turn = new Promise<void>((resolve) => {
          done = resolve;
        });
        const tail = (previous ?? Promise.resolve()).then(() => turn);
        this.#tails.set(file, tail);
        // The lane empties once the last turn in it is over (not when a waiter gives up early).
        void tail.then(() => {
          if (this.#tails.get(file) === tail) this.#tails.delete(file);
        });
        releases.push(done);
        if (previous !== undefined) {
          waited = true;
          await waitFor(previous, signal);
        }
      }
    } catch (error) {
      release();
      throw error;
    }
    return { release, waited };
  }

  /** Files whose lane someone holds or waits for. */
  busy(): string[] {
    return [...this.#tails.keys()];
  }
}

function waitFor(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new AbortError(undefined, { cause: signal.reason }));
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(new AbortError(undefined, { cause: signal.reason }));
    signal.addEventListener("abort", onAbort, { once: true });
    void promise.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
