import { globMatches, isGlob, normalizeScopeEntry, staticPrefix } from "./internal/glob.js";

/** Two scope entries that may touch the same file. */
export interface ScopeOverlap {
  readonly left: string;
  readonly right: string;
}

/** A scope entry as compared: normalized, whether it is a glob, and its literal prefix. */
interface Entry {
  readonly path: string;
  readonly glob: boolean;
  readonly prefix: string;
}

/**
 * Entries already normalized: the scheduler compares the same few hundred scopes on every
 * decision, and normalizing each pair anew made it the run's largest source of garbage. The
 * bound only guards against unbounded growth.
 */
const normalized = new Map<string, Entry>();

function entryOf(raw: string): Entry {
  let entry = normalized.get(raw);
  if (entry === undefined) {
    const path = normalizeScopeEntry(raw);
    const glob = isGlob(path);
    entry = { path, glob, prefix: glob ? staticPrefix(path) : path };
    if (normalized.size >= 20_000) normalized.clear();
    normalized.set(raw, entry);
  }
  return entry;
}

/**
 * Whether two scope entries may touch the same file. Pragmatic rather than exact: the same
 * path; a glob (or directory ending in `/`) matching the other's literal path; or two globs
 * whose literal directory prefixes are nested (`src/**` and `src/db/*.ts`, but not `src/a/*`
 * and `src/b/*`).
 */
export function scopeEntriesOverlap(left: string, right: string): boolean {
  const a = entryOf(left);
  const b = entryOf(right);
  if (a.path === b.path) return true;
  if (!a.glob && !b.glob) return false;
  if (a.glob && !b.glob) return globMatches(a.path, b.path);
  if (!a.glob && b.glob) return globMatches(b.path, a.path);
  return a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix);
}

/** The first pair of entries of two scopes that overlap, or `undefined` when they are disjoint. */
export function scopesOverlap(left: readonly string[], right: readonly string[]): ScopeOverlap | undefined {
  for (const a of left) {
    for (const b of right) {
      if (scopeEntriesOverlap(a, b)) return { left: a, right: b };
    }
  }
  return undefined;
}
