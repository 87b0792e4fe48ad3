/** Options of {@link findDuplicates}. */
export interface DuplicateOptions {
  /** Significant lines a copy must span; default 6. */
  readonly minLines?: number;
  /** Tokens a copy must hold; default 40. */
  readonly minTokens?: number;
  /** Most groups returned, largest first; default 20. */
  readonly maxGroups?: number;
}

/** Where one copy sits (1-based, inclusive line numbers). */
export interface DuplicateLocation {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
}

/** The same code found in two or more places. */
export interface DuplicateGroup {
  /** Significant (non-blank, non-bracket) lines in one copy. */
  readonly lines: number;
  readonly tokens: number;
  readonly locations: readonly DuplicateLocation[];
  /** The first lines of the copy, as written in its first location. */
  readonly excerpt: string;
}

interface SignificantLine {
  readonly key: string;
  readonly line: number;
  readonly tokens: number;
  readonly text: string;
}

interface Occurrence {
  readonly file: number;
  readonly index: number;
}

const tokenPattern = /[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|\S/g;
/** Lines that carry no logic of their own: closing brackets, separators. */
const trivial = /^[\s{}()[\];,]*$/;
/** A window shared by more places than this is boilerplate (license headers, imports), not a copy. */
const maxOccurrences = 25;

/**
 * A token and line-window duplicate finder: every file is reduced to its significant lines
 * (tokens joined by single spaces, so layout and indentation do not matter), every window of
 * `minLines` such lines is hashed, and windows found in two or more places are extended to the
 * longest run the copies share. Returns groups of copies holding at least `minTokens` tokens,
 * largest (tokens × copies) first. Pure and deterministic: same files, same groups.
 */
export function findDuplicates(
  files: ReadonlyMap<string, string>,
  options: DuplicateOptions = {},
): DuplicateGroup[] {
  const minLines = Math.max(2, options.minLines ?? 6);
  const minTokens = options.minTokens ?? 40;
  const paths = [...files.keys()].sort();
  const lines = paths.map((path) => significantLines(files.get(path) ?? ""));
  const windows = new Map<string, Occurrence[]>();
  lines.forEach((fileLines, file) => {
    for (let index = 0; index + minLines <= fileLines.length; index += 1) {
      const key = windowKey(fileLines, index, minLines);
      const list = windows.get(key);
      if (list === undefined) windows.set(key, [{ file, index }]);
      else if (list.length <= maxOccurrences) list.push({ file, index });
    }
  });
  const covered = new Map<string, number>();
  const groups = new Map<string, { anchor: Occurrence; length: number; others: Occurrence[] }>();
  for (const occurrences of windows.values()) {
    if (occurrences.length < 2 || occurrences.length > maxOccurrences) continue;
    const [anchor, ...rest] = occurrences as [Occurrence, ...Occurrence[]];
    for (const other of rest) {
      const diagonal = `${anchor.file}:${other.file}:${anchor.index - other.index}`;
      if ((covered.get(diagonal) ?? -1) > anchor.index) continue;
      const length = extend(lines, anchor, other);
      covered.set(diagonal, anchor.index + length);
      if (length < minLines) continue;
      const id = `${anchor.file}:${anchor.index}:${length}`;
      const group = groups.get(id) ?? { anchor, length, others: [] };
      group.others.push(other);
      groups.set(id, group);
    }
  }
  const result: DuplicateGroup[] = [];
  for (const { anchor, length, others } of groups.values()) {
    const span = lines[anchor.file]!.slice(anchor.index, anchor.index + length);
    const tokens = span.reduce((sum, line) => sum + line.tokens, 0);
    if (tokens < minTokens) continue;
    const locate = (occurrence: Occurrence): DuplicateLocation => ({
      path: paths[occurrence.file]!,
      startLine: lines[occurrence.file]![occurrence.index]!.line,
      endLine: lines[occurrence.file]![occurrence.index + length - 1]!.line,
    });
    result.push({
      lines: length,
      tokens,
      locations: [anchor, ...others].map(locate),
      excerpt: span
        .slice(0, 6)
        .map((line) => line.text)
        .join("\n"),
    });
  }
  return result
    .sort(
      (left, right) =>
        right.tokens * right.locations.length - left.tokens * left.locations.length ||
        left.locations[0]!.path.localeCompare(right.locations[0]!.path) ||
        left.locations[0]!.startLine - right.locations[0]!.startLine,
    )
    .slice(0, options.maxGroups ?? 20);
}

function significantLines(text: string): SignificantLine[] {
  const result: SignificantLine[] = [];
  text.split("\n").forEach((raw, index) => {
    if (trivial.test(raw)) return;
    const tokens = raw.match(tokenPattern) ?? [];
    if (tokens.length === 0) return;
    result.push({ key: tokens.join(" "), line: index + 1, tokens: tokens.length, text: raw.trimEnd() });
  });
  return result;
}

function windowKey(lines: readonly SignificantLine[], start: number, size: number): string {
  let key = "";
  for (let index = start; index < start + size; index += 1) key += `${lines[index]!.key}\n`;
  return key;
}

/** How many significant lines the copies at `a` and `b` share, never letting a copy overlap itself. */
function extend(lines: readonly (readonly SignificantLine[])[], a: Occurrence, b: Occurrence): number {
  const left = lines[a.file]!;
  const right = lines[b.file]!;
  const limit = a.file === b.file ? Math.abs(b.index - a.index) : Number.POSITIVE_INFINITY;
  let length = 0;
  while (
    length < limit &&
    a.index + length < left.length &&
    b.index + length < right.length &&
    left[a.index + length]!.key === right[b.index + length]!.key
  ) {
    length += 1;
  }
  return length;
}
