/**
 * Lines `startLine` to `endLine` (1-based, inclusive, each with its line ending, the last line
 * possibly without one) of `text`: what `Sandbox.readFile` returns for a line range. The whole
 * text when neither is given; from the first line when `startLine` is absent or below 1; to the
 * last line when `endLine` is absent or past the end; "" when the range starts past the end or
 * ends before it starts. Pure; never throws.
 */
export function sliceLines(text: string, startLine?: number, endLine?: number): string {
  if (startLine === undefined && endLine === undefined) return text;
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const from = Math.max(1, startLine ?? 1) - 1;
  const to = endLine === undefined ? lines.length : Math.max(0, endLine);
  return lines.slice(from, to).join("");
}
