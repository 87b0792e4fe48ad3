/**
 * Splits text into pieces of at most `size` characters, preferring to end a piece after a space
 * so deltas look like a model's. Always returns at least one piece (possibly empty).
 */
export function chunkText(text: string, size: number): string[] {
  if (text.length <= size) return [text];
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    if (end < text.length) {
      const space = text.lastIndexOf(" ", end - 1);
      if (space >= start + Math.floor(size / 2)) end = space + 1;
    }
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}
