/**
 * Lines written more than once in one file: what a merge that keeps both sides' copy of the same
 * addition leaves behind. Braces, blank lines and other lines without a word are structure and
 * repeat legitimately, so they are not counted.
 */
export interface DuplicatedLines {
  /** Extra copies over all files (a line found three times counts two). */
  readonly count: number;
  /** The files holding copies, with the first duplicated line of each, sorted by path. */
  readonly files: readonly { readonly path: string; readonly copies: number; readonly example: string }[];
}

/** Counts duplicated lines in `files` (path to content). */
export function duplicatedLines(files: ReadonlyMap<string, string>): DuplicatedLines {
  const found: { path: string; copies: number; example: string }[] = [];
  for (const [path, content] of files) {
    const seen = new Map<string, number>();
    for (const line of content.split("\n")) {
      const trimmed = line.trim();
      if (!/[A-Za-z0-9]/.test(trimmed)) continue;
      seen.set(line, (seen.get(line) ?? 0) + 1);
    }
    const repeated = [...seen].filter(([, count]) => count > 1);
    if (repeated.length === 0) continue;
    const copies = repeated.reduce((sum, [, count]) => sum + count - 1, 0);
    found.push({ path, copies, example: repeated[0]![0].trim() });
  }
  found.sort((left, right) => left.path.localeCompare(right.path));
  return { count: found.reduce((sum, file) => sum + file.copies, 0), files: found };
}
