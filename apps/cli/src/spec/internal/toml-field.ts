/**
 * Reads one string field of one table from a TOML file without a TOML parser: enough for the
 * plain `name = "x"` lines of Cargo.toml and pyproject.toml that suggestions use. Pure.
 */
export function tomlField(text: string, table: string, field: string): string | undefined {
  let current = "";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\[?([^\]]+)\]\]?$/.exec(line)?.[1];
    if (header !== undefined) {
      current = header.trim();
      continue;
    }
    if (current !== table) continue;
    const match = new RegExp(`^${field}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(line);
    if (match !== null) return match[1] ?? match[2];
  }
  return undefined;
}

/** True when the file has a table (or array of tables) named `table` or starting with `table.`. */
export function hasTomlTable(text: string, table: string): boolean {
  return text.split(/\r?\n/).some((line) => {
    const header = /^\[\[?([^\]]+)\]\]?$/.exec(line.trim())?.[1]?.trim();
    return header === table || header?.startsWith(`${table}.`) === true;
  });
}
