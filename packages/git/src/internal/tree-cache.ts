import type { TreeEntry } from "../types.js";

/**
 * Parsed trees by id, the least recently used dropped first, bounded by the entries held rather
 * than by trees: a tree's memory is its entries (about 150 bytes each, parsed), and trees range
 * from a handful of entries to thousands. A tree counts one more than its entries, so empty trees
 * are bounded too. A tree larger than the whole budget is not kept.
 */
export class TreeCache {
  readonly #maxEntries: number;
  readonly #trees = new Map<string, readonly TreeEntry[]>();
  #held = 0;

  /** `maxEntries`: the entries (plus one per tree) the cache may hold at once. */
  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** The entries of tree `sha`, if held; a hit makes the tree the most recently used. */
  get(sha: string): readonly TreeEntry[] | undefined {
    const entries = this.#trees.get(sha);
    if (entries !== undefined) {
      this.#trees.delete(sha);
      this.#trees.set(sha, entries);
    }
    return entries;
  }

  /** Keeps `entries` as tree `sha` (trees are immutable), dropping the least recently used to make room. */
  set(sha: string, entries: readonly TreeEntry[]): void {
    const cost = entries.length + 1;
    if (cost > this.#maxEntries) return;
    const previous = this.#trees.get(sha);
    if (previous !== undefined) {
      this.#trees.delete(sha);
      this.#held -= previous.length + 1;
    }
    this.#trees.set(sha, entries);
    this.#held += cost;
    for (const [oldest, held] of this.#trees) {
      if (this.#held <= this.#maxEntries) break;
      this.#trees.delete(oldest);
      this.#held -= held.length + 1;
    }
  }

  /** Entries (plus one per tree) held now; never more than the budget. */
  get held(): number {
    return this.#held;
  }
}
