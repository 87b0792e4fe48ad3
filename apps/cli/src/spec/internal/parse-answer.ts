/** What one typed line means. */
export type ParsedAnswer =
  | { readonly kind: "empty" }
  | { readonly kind: "picks"; readonly values: readonly string[] }
  | { readonly kind: "text"; readonly value: string };

/**
 * Reads one typed line against the suggestions shown: a number from 1 to the count picks that
 * suggestion; in a list, several numbers (`1,3` or `1 3`) pick several. Anything else is free
 * text; in a list, a leading bullet, checkbox or number (`- `, `[ ] `, `2. `) is dropped.
 */
export function parseAnswer(line: string, suggestions: readonly string[], list: boolean): ParsedAnswer {
  const trimmed = line.trim();
  if (trimmed === "") return { kind: "empty" };
  const numbers = list ? /^\d+(?:\s*[,\s]\s*\d+)*$/.test(trimmed) : /^\d+$/.test(trimmed);
  if (numbers) {
    const indexes = trimmed.split(/[,\s]+/).map(Number);
    const values = indexes.map((index) => suggestions[index - 1]);
    if (values.every((value) => value !== undefined)) return { kind: "picks", values: unique(values) };
  }
  const value = list ? stripMarker(trimmed) : trimmed;
  return value === "" ? { kind: "empty" } : { kind: "text", value };
}

function stripMarker(text: string): string {
  return text.replace(/^(?:[-*+](?:\s+|$))?(?:\[[ xX]?\](?:\s+|$))?(?:\d+[.)](?:\s+|$))?/, "").trim();
}

function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== undefined))];
}
