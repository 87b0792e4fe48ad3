/**
 * Edit distance with adjacent transpositions (optimal string alignment), so `rnus` is one edit
 * from `runs` and `reprot` one from `report`.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table: number[][] = Array.from({ length: rows }, (_, row) =>
    Array.from({ length: cols }, (_, col) => (row === 0 ? col : col === 0 ? row : 0)),
  );
  for (let row = 1; row < rows; row++) {
    for (let col = 1; col < cols; col++) {
      const cost = a[row - 1] === b[col - 1] ? 0 : 1;
      let best = Math.min(
        table[row - 1]![col]! + 1,
        table[row]![col - 1]! + 1,
        table[row - 1]![col - 1]! + cost,
      );
      if (row > 1 && col > 1 && a[row - 1] === b[col - 2] && a[row - 2] === b[col - 1]) {
        best = Math.min(best, table[row - 2]![col - 2]! + 1);
      }
      table[row]![col] = best;
    }
  }
  return table[a.length]![b.length]!;
}

/**
 * The name `word` was probably meant to be: the closest of `names` within a small distance (one
 * edit for short words, two from eight letters on), or, with `prefixes`, a name it begins (two
 * letters at least). Null when nothing is close, or `word` is shorter than `minLength`. Compared
 * as given: callers fold the case.
 */
export function closestName(
  word: string,
  names: readonly string[],
  options: { readonly prefixes?: boolean; readonly minLength?: number } = {},
): string | null {
  if (word.length === 0 || word.length < (options.minLength ?? 0)) return null;
  let best: { name: string; distance: number } | null = null;
  for (const name of names) {
    const prefix = options.prefixes === true && name.startsWith(word) && word.length >= 2;
    const distance = prefix ? 0.5 : editDistance(word, name);
    if (best === null || distance < best.distance) best = { name, distance };
  }
  if (best === null) return null;
  const allowed = word.length >= 8 ? 2 : word.length >= 3 ? 1 : 0.5;
  return best.distance <= allowed ? best.name : null;
}

/**
 * The command `word` was probably meant to be: the closest one within a small distance (one
 * edit for short words, two from eight letters on), or a command it is a prefix of. Null when
 * nothing is close, so real one-word requests are not mistaken for typos.
 */
export function closestCommand(word: string, commands: readonly string[]): string | null {
  return closestName(word.toLowerCase(), commands, { prefixes: true });
}
