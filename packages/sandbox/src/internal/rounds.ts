interface Round<Key> {
  /** Requests of the round, by key: a key requested twice before the round starts is done once. */
  readonly requests: Map<Key, Promise<void>>;
  readonly done: Promise<ReadonlyMap<Key, unknown>>;
}

/**
 * Work on keys done in rounds, one round at a time: a round takes every key requested while the
 * round before it ran, so a burst of requests costs one round instead of one each. A request
 * made while a round runs goes to the next round, never to the running one, so what the round
 * reads (a branch's value, say) is never older than the request. `work` settles a whole round
 * and returns what each failed key failed with; it must not throw.
 */
export class Rounds<Key> {
  readonly #work: (keys: readonly Key[]) => Promise<ReadonlyMap<Key, unknown>>;
  #tail: Promise<unknown> = Promise.resolve();
  #next: Round<Key> | undefined;

  constructor(work: (keys: readonly Key[]) => Promise<ReadonlyMap<Key, unknown>>) {
    this.#work = work;
  }

  /** Resolves once a round has done `key`; rejects with what `work` said `key` failed with. */
  request(key: Key): Promise<void> {
    let round = this.#next;
    if (round === undefined) {
      const requests = new Map<Key, Promise<void>>();
      const done = this.#tail.then(() => {
        this.#next = undefined;
        return this.#work([...requests.keys()]);
      });
      round = { requests, done };
      this.#next = round;
      this.#tail = done.catch(() => undefined);
    }
    const joined = round.requests.get(key);
    if (joined !== undefined) return joined;
    const request = round.done.then((failures) => {
      if (failures.has(key)) throw failures.get(key);
    });
    round.requests.set(key, request);
    return request;
  }
}
