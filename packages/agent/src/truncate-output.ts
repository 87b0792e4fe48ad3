/** How much tool output the model sees. */
export interface TruncateLimits {
  /** Characters kept in total (head plus tail). */
  readonly maxChars: number;
  /** Share of `maxChars` given to the head; the rest goes to the tail. Default 0.4. */
  readonly headShare?: number;
}

/** Default budget for one tool result: about 4,000 tokens. */
export const defaultTruncateLimits: TruncateLimits = { maxChars: 16_000, headShare: 0.4 };

/** The part of a text that truncation left out; lines are 1-based lines of that text. */
export interface Omission {
  readonly characters: number;
  /** The line the omitted part starts in (it may start mid-line when no line boundary was near). */
  readonly firstLine: number;
  /** The line the omitted part ends in. */
  readonly lastLine: number;
}

/** Writes the note that stands in for the omitted part: what is missing and how to see it. */
export type OmissionNote = (omission: Omission) => string;

/** The note for output in general: which lines are missing and that a narrower request shows them. */
export const defaultOmissionNote: OmissionNote = ({ characters, firstLine, lastLine }) =>
  `[… lines ${firstLine}–${lastLine} (${lastLine - firstLine + 1} lines, ${characters} characters) omitted; read a narrower range or filter the output to see them …]`;

/**
 * Cuts `text` to at most about `maxChars` characters by keeping its head and its tail and
 * replacing the middle with a note (from `note`) saying what was left out and how to see it.
 * Cuts fall on line boundaries when one is near, so the model does not see half lines. Text
 * within the limit is returned as is. The tail gets the larger share by default because builds
 * and tests print their verdict last.
 */
export function truncateOutput(
  text: string,
  limits: TruncateLimits = defaultTruncateLimits,
  note: OmissionNote = defaultOmissionNote,
): string {
  if (text.length <= limits.maxChars) return text;
  const headShare = limits.headShare ?? 0.4;
  const headBudget = Math.floor(limits.maxChars * headShare);
  const tailBudget = limits.maxChars - headBudget;
  const headEnd = lineBoundaryBefore(text, headBudget);
  const tailStart = Math.max(headEnd, lineBoundaryAfter(text, text.length - tailBudget));
  const firstLine = countNewlines(text, 0, headEnd) + 1;
  const lastLine = firstLine + countNewlines(text, headEnd, Math.max(headEnd, tailStart - 1));
  const omission = { characters: tailStart - headEnd, firstLine, lastLine };
  return `${text.slice(0, headEnd)}\n${note(omission)}\n${text.slice(tailStart)}`;
}

/** The position after the last newline within `[limit - slack, limit]`, or `limit`. */
function lineBoundaryBefore(text: string, limit: number): number {
  const newline = text.lastIndexOf("\n", limit - 1);
  return newline >= 0 && limit - newline < 200 ? newline + 1 : limit;
}

/** The position after the first newline within `[start, start + slack]`, or `start`. */
function lineBoundaryAfter(text: string, start: number): number {
  const newline = text.indexOf("\n", start);
  return newline >= 0 && newline - start < 200 ? newline + 1 : start;
}

/** Newlines in `text` from `start` (inclusive) to `end` (exclusive). */
function countNewlines(text: string, start: number, end: number): number {
  let count = 0;
  for (
    let index = text.indexOf("\n", start);
    index >= 0 && index < end;
    index = text.indexOf("\n", index + 1)
  )
    count++;
  return count;
}
