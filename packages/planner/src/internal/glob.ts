/** Characters that make a scope entry a glob rather than a literal path. */
const globCharacters = /[*?[{]/;

/** Whether a scope entry is a glob pattern. */
export function isGlob(pattern: string): boolean {
  return globCharacters.test(pattern);
}

/**
 * Normalizes a scope entry: forward slashes, no leading `./` or `/`, and a trailing `/` (a
 * directory) turned into `dir/**` so directories and globs are compared the same way.
 */
export function normalizeScopeEntry(entry: string): string {
  let path = entry.trim().replaceAll("\\", "/");
  while (path.startsWith("./")) path = path.slice(2);
  while (path.startsWith("/")) path = path.slice(1);
  path = path.replace(/\/{2,}/g, "/");
  if (path.endsWith("/")) path = `${path}**`;
  return path;
}

/**
 * The literal directory a glob starts from (`src/db/` for `src/db/**\/*.ts`), or `""` when the
 * glob starts with a wildcard. A literal path returns itself.
 */
export function staticPrefix(pattern: string): string {
  const match = globCharacters.exec(pattern);
  if (match === null) return pattern;
  const head = pattern.slice(0, match.index);
  const slash = head.lastIndexOf("/");
  return slash === -1 ? "" : head.slice(0, slash + 1);
}

/** Compiles a glob (`**`, `*`, `?`, `[...]`, `{a,b}`) into an anchored regular expression. */
export function globToRegExp(pattern: string): RegExp {
  let source = "";
  let braceDepth = 0;
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index] ?? "";
    if (character === "*") {
      if (pattern[index + 1] === "*") {
        index++;
        if (pattern[index + 1] === "/") {
          index++;
          source += "(?:.*/)?";
        } else {
          source += ".*";
        }
      } else {
        source += "[^/]*";
      }
    } else if (character === "?") {
      source += "[^/]";
    } else if (character === "[") {
      const end = pattern.indexOf("]", index + 1);
      if (end === -1) {
        source += "\\[";
      } else {
        const body = pattern
          .slice(index + 1, end)
          .replace(/^!/, "^")
          .replaceAll("\\", "\\\\");
        source += `[${body}]`;
        index = end;
      }
    } else if (character === "{") {
      braceDepth++;
      source += "(?:";
    } else if (character === "}" && braceDepth > 0) {
      braceDepth--;
      source += ")";
    } else if (character === "," && braceDepth > 0) {
      source += "|";
    } else {
      source += character.replace(/[.+^$()|\\\]{}]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}

const compiled = new Map<string, RegExp>();

/** Whether `path` (a literal) is matched by `pattern` (a glob or a literal). */
export function globMatches(pattern: string, path: string): boolean {
  if (!isGlob(pattern)) return pattern === path;
  let expression = compiled.get(pattern);
  if (expression === undefined) {
    expression = globToRegExp(pattern);
    // Plans reuse a few hundred patterns; the bound only guards against unbounded growth.
    if (compiled.size > 5000) compiled.clear();
    compiled.set(pattern, expression);
  }
  return expression.test(path);
}
