import { globMatches, isGlob, normalizeScopeEntry, staticPrefix } from "./internal/glob.js";

/** Two scope entries that may touch the same file. */
export interface ScopeOverlap {
  readonly left: string;
  readonly right: string;
}

/**
 * Whether two scope entries may touch the same file. Pragmatic rather than exact: the same
 * path; a glob (or directory ending in `/`) matching the other's literal path; or two globs
 * whose literal directory prefixes are nested (`src/**` and `src/db/*.ts`, but not `src/a/*`
 * and `src/b/*`).
 */
export function scopeEntriesOverlap(left: string, right: string): boolean {
  const a = normalizeScopeEntry(left);
  const b = normalizeScopeEntry(right);
  if (a === b) return true;
  const aGlob = isGlob(a);
  const bGlob = isGlob(b);
  if (!aGlob && !bGlob) return false;
  if (aGlob && !bGlob) return globMatches(a, b);
  if (!aGlob && bGlob) return globMatches(b, a);
  const aPrefix = staticPrefix(a);
  const bPrefix = staticPrefix(b);
  return aPrefix.startsWith(bPrefix) || bPrefix.startsWith(aPrefix);
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
