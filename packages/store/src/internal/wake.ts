/**
 * Wakes `follow` loops: at once when this process appends to the run they tail, otherwise after
 * the poll interval (another connection or process may have appended), or when aborted.
 */
export class Wake {
  readonly #waiters = new Map<string, Set<() => void>>();

  notify(runId: string): void {
    const waiters = this.#waiters.get(runId);
    if (waiters === undefined) return;
    this.#waiters.delete(runId);
    for (const wake of waiters) wake();
  }

  wait(runId: string, pollMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        this.#waiters.get(runId)?.delete(done);
        resolve();
      };
      const timer = setTimeout(done, pollMs);
      signal.addEventListener("abort", done, { once: true });
      let waiters = this.#waiters.get(runId);
      if (waiters === undefined) {
        waiters = new Set();
        this.#waiters.set(runId, waiters);
      }
      waiters.add(done);
    });
  }
}
