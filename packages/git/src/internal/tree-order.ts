/** Only ASCII: for such names JavaScript's string order is git's byte order. */
const ascii = /^[\x20-\x7e]*$/;

/**
 * `entries` in git's order of tree entries: by the bytes of the name (UTF-8), a directory's name
 * as if it ended with a slash. Each entry's key is made once (a sort compares n log n times), and
 * ASCII names, the usual case, are compared as they are.
 */
export function inTreeOrder<T extends { readonly name: string; readonly type: string }>(
  entries: readonly T[],
): T[] {
  const keyOf = (entry: T): string => (entry.type === "tree" ? `${entry.name}/` : entry.name);
  if (entries.every((entry) => ascii.test(entry.name))) {
    const keyed = entries.map((entry) => ({ entry, key: keyOf(entry) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return keyed.map(({ entry }) => entry);
  }
  const keyed = entries.map((entry) => ({ entry, key: Buffer.from(keyOf(entry), "utf8") }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return keyed.map(({ entry }) => entry);
}
