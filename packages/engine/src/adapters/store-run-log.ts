import type { LongshotEvent, NewEvent } from "@longshot/core";
import type { Store } from "@longshot/store";
import type { RunLog } from "../ports.js";

/** One run's slice of the SQLite store. `append` returns once the event is durable. */
export class StoreRunLog implements RunLog {
  readonly #store: Store;
  readonly #runId: string;

  constructor(store: Store, runId: string) {
    this.#store = store;
    this.#runId = runId;
  }

  append(event: NewEvent): LongshotEvent {
    return this.#store.append(this.#runId, event);
  }

  read(afterSeq?: number): LongshotEvent[] {
    return this.#store.events(this.#runId, afterSeq === undefined ? {} : { afterSeq });
  }
}
