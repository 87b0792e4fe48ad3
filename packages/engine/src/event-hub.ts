import type { LongshotEvent } from "@longshot/core";

type Listener = (event: LongshotEvent | null) => void;

/**
 * Fans recorded events out to subscribers. A subscriber first gets the backlog, then live
 * events without gaps or duplicates, until the hub closes or its signal aborts.
 */
export class EventHub {
  readonly #listeners = new Set<Listener>();
  #closed = false;

  publish(event: LongshotEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  close(): void {
    this.#closed = true;
    for (const listener of this.#listeners) listener(null);
    this.#listeners.clear();
  }

  async *subscribe(backlog: () => LongshotEvent[], signal?: AbortSignal): AsyncIterable<LongshotEvent> {
    const queue: (LongshotEvent | null)[] = [];
    let notify: (() => void) | null = null;
    const listener: Listener = (event) => {
      queue.push(event);
      notify?.();
    };
    this.#listeners.add(listener);
    const onAbort = (): void => listener(null);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      let lastSeq = -1;
      for (const event of backlog()) {
        lastSeq = event.seq;
        yield event;
      }
      if (this.#closed) return;
      for (;;) {
        while (queue.length > 0) {
          const event = queue.shift()!;
          if (event === null) return;
          if (event.seq <= lastSeq) continue;
          lastSeq = event.seq;
          yield event;
        }
        await new Promise<void>((resolve) => {
          notify = resolve;
        });
        notify = null;
      }
    } finally {
      this.#listeners.delete(listener);
      signal?.removeEventListener("abort", onAbort);
    }
  }
}
