/**
 * The union of two versions of a text file that both only added lines to their common base
 * (docs/decisions/0003-union-of-additions.md). Pure: no git, no I/O.
 */

/** What {@link unionOfAdditions} decided for one file. */
export interface LineUnion {
  readonly text: string;
  /** Places where both sides added different lines, or where theirs re-added lines ours has. */
  readonly hunks: number;
  /** Lines theirs added that ours already had, written once. */
  readonly duplicatesDropped: number;
}

/**
 * Lines of `side` as `base` plus insertions: `inserted[i]` are the lines before base line i
 * (`inserted[base.length]` after the last). Null when `side` changed or removed a base line.
 */
export function insertionsOf(base: readonly string[], side: readonly string[]): string[][] | null {
  const inserted: string[][] = Array.from({ length: base.length + 1 }, () => []);
  let position = 0;
  for (const line of side) {
    if (position < base.length && line === base[position]) position += 1;
    else inserted[position]!.push(line);
  }
  return position === base.length ? inserted : null;
}

function splitLines(text: string): string[] {
  return text === "" ? [] : text.replace(/\n$/, "").split("\n");
}

function countLines(lines: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
  return counts;
}

function sameLines(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((line, index) => line === right[index]);
}

/** True when `block` occurs as consecutive lines of `lines`. */
function containsRun(lines: readonly string[], block: readonly string[]): boolean {
  if (block.length === 0) return true;
  for (let start = 0; start + block.length <= lines.length; start++) {
    if (block.every((line, offset) => lines[start + offset] === line)) return true;
  }
  return false;
}

interface Side {
  readonly lines: readonly string[];
  readonly counts: ReadonlyMap<string, number>;
  /** The blocks this side added, by place. */
  readonly added: readonly (readonly string[])[];
}

const topLevel = (line: string): boolean => line.length > 0 && line.trimStart() === line;
const opensBlock = (line: string): boolean => /([{([:]|=>)$/.test(line.trimEnd());

/**
 * A statement is a top-level line that stands for itself: an export, an import, a changelog
 * bullet. It starts at the first column, has a word in it, is found once in its file, and
 * neither opens a block (`{`, `(`, `[`, `:`, `=>` at its end) nor closes one (`}`, `)`, `]` at
 * its start). A line inside a body never is one: the same line in two bodies is two lines.
 */
function isStatement(line: string, side: Side): boolean {
  return (
    topLevel(line) &&
    /[\p{L}\p{N}]/u.test(line) &&
    side.counts.get(line) === 1 &&
    !opensBlock(line) &&
    !/^[})\]]/.test(line)
  );
}

/**
 * Which of theirs' lines added at one place go in after ours, given everything ours has.
 * A block of statements is a list: the statements ours lacks are added, the others are already
 * there. Any other block is one unit: dropped when it declares something at the top level (a
 * function, a class) and ours added exactly that block somewhere, kept whole when none of its
 * statements is in ours, and null (a real conflict) when some are: part of it is already there in
 * another form.
 */
function theirsToAdd(block: readonly string[], ours: Side, theirs: Side): string[] | null {
  if (block.every((line) => isStatement(line, theirs))) return block.filter((line) => !ours.counts.has(line));
  const declares = block.some((line) => topLevel(line) && opensBlock(line));
  if (declares && ours.added.some((added) => containsRun(added, block))) return [];
  const statements = block.filter((line) => isStatement(line, theirs));
  return statements.some((line) => ours.counts.has(line)) ? null : [...block];
}

/**
 * Theirs' block less ours' block when theirs starts or ends with all of it (theirs wrote what ours
 * wrote at that place, and more).
 */
function withoutShared(mine: readonly string[], other: readonly string[]): readonly string[] {
  if (mine.length === 0 || mine.length >= other.length) return other;
  if (sameLines(other.slice(0, mine.length), mine)) return other.slice(mine.length);
  if (sameLines(other.slice(other.length - mine.length), mine))
    return other.slice(0, other.length - mine.length);
  return other;
}

/**
 * The union of two versions of a file that both only added lines to their common base: at each
 * place, ours' lines, then theirs' lines that ours does not already have (see theirsToAdd).
 * Applying theirs' additions to ours in sequence gives the same file: no statement either side
 * added is written twice, and the order depends only on the inputs. Null when either side
 * changed or removed a base line, when the file is binary, or when a block of theirs overlaps
 * ours only in part; those stay real conflicts.
 */
export function unionOfAdditions(base: string, ours: string, theirs: string): LineUnion | null {
  if ([base, ours, theirs].some((text) => text.includes("\0"))) return null;
  const baseLines = splitLines(base);
  const ourLines = splitLines(ours);
  const theirLines = splitLines(theirs);
  const left = insertionsOf(baseLines, ourLines);
  const right = insertionsOf(baseLines, theirLines);
  if (left === null || right === null) return null;
  const oursSide: Side = { lines: ourLines, counts: countLines(ourLines), added: left };
  const theirsSide: Side = { lines: theirLines, counts: countLines(theirLines), added: right };
  const lines: string[] = [];
  let hunks = 0;
  let duplicatesDropped = 0;
  for (let index = 0; index <= baseLines.length; index++) {
    const mine = left[index]!;
    const other = right[index]!;
    lines.push(...mine);
    if (other.length > 0 && !sameLines(mine, other)) {
      const rest = withoutShared(mine, other);
      const added = rest.length === 0 ? [] : theirsToAdd(rest, oursSide, theirsSide);
      if (added === null) return null;
      lines.push(...added);
      if (mine.length > 0 || added.length < other.length) hunks += 1;
      duplicatesDropped += other.length - added.length;
    }
    if (index < baseLines.length) lines.push(baseLines[index]!);
  }
  const trailing = ours.endsWith("\n") || theirs.endsWith("\n") || base.endsWith("\n");
  const text = lines.length === 0 ? "" : `${lines.join("\n")}${trailing ? "\n" : ""}`;
  return { text, hunks, duplicatesDropped };
}
