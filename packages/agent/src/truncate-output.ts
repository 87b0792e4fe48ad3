/** How much tool output the model sees. */
export interface TruncateLimits {
  /** Characters kept in total (head plus tail). */
  readonly maxChars: number;
  /** Share of `maxChars` given to the head; the rest goes to the tail. Default 0.4. */
  readonly headShare?: number;
}

/** Default budget for one tool result: about 4,000 tokens. */
export const defaultTruncateLimits: TruncateLimits = { maxChars: 16_000, headShare: 0.4 };

/**
 * Cuts `text` to at most about `maxChars` characters by keeping its head and its tail and
 * replacing the middle with a note saying how much was left out. Cuts fall on line boundaries
 * when one is near, so the model does not see half lines. Text within the limit is returned as is.
 * The tail gets the larger share because builds and tests print their verdict last.
 */
export function truncateOutput(text: string, limits: TruncateLimits = defaultTruncateLimits): string {
  if (text.length <= limits.maxChars) return text;
  const headShare = limits.headShare ?? 0.4;
  const headBudget = Math.floor(limits.maxChars * headShare);
  const tailBudget = limits.maxChars - headBudget;
  const headEnd = lineBoundaryBefore(text, headBudget);
  const tailStart = lineBoundaryAfter(text, text.length - tailBudget);
  const omitted = text.slice(headEnd, tailStart);
  const omittedLines = countLines(omitted);
  const note = `\n[… ${omitted.length} characters (${omittedLines} lines) omitted; read a narrower range or filter the output to see them …]\n`;
  return `${text.slice(0, headEnd)}${note}${text.slice(tailStart)}`;
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

function countLines(text: string): number {
  let lines = 0;
  for (let index = text.indexOf("\n"); index >= 0; index = text.indexOf("\n", index + 1)) lines++;
  return text.endsWith("\n") || text.length === 0 ? lines : lines + 1;
}
