/**
 * Lines `startLine` to `endLine` (1-based, inclusive, each with its line ending) of `text`;
 * the whole text when neither is given, and "" when the range starts past the end.
 */
export function sliceLines(text: string, startLine?: number, endLine?: number): string {
  if (startLine === undefined && endLine === undefined) return text;
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const from = Math.max(1, startLine ?? 1) - 1;
  const to = endLine === undefined ? lines.length : Math.max(0, endLine);
  return lines.slice(from, to).join("");
}
