import { posix } from "node:path";

/**
 * Whether a repository-relative path falls inside a task's scope. An empty scope allows every
 * path. An entry is a glob (`src/api/**`, `*.md`, `src/?.ts`), a directory (`src/api` or
 * `src/api/`), or a file.
 */
export function isInScope(path: string, scope: readonly string[]): boolean {
  if (scope.length === 0) return true;
  const normalized = normalizePath(path);
  return scope.some((entry) => matchesEntry(normalized, normalizePath(entry)));
}

/** The paths of `paths` that fall outside `scope`, in their original order. */
export function outOfScope(paths: Iterable<string>, scope: readonly string[]): string[] {
  const outside: string[] = [];
  for (const path of paths) if (!isInScope(path, scope)) outside.push(path);
  return outside;
}

function matchesEntry(path: string, entry: string): boolean {
  if (entry === "" || entry === ".") return true;
  if (/[*?]/.test(entry)) return globToRegExp(entry).test(path);
  const directory = entry.endsWith("/") ? entry.slice(0, -1) : entry;
  return path === directory || path.startsWith(`${directory}/`);
}

/** `**` crosses directories, `*` and `?` stay within one path segment. */
function globToRegExp(glob: string): RegExp {
  let pattern = "";
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index] ?? "";
    if (char === "*" && glob[index + 1] === "*") {
      const slashAfter = glob[index + 2] === "/";
      pattern += slashAfter ? "(?:.*/)?" : ".*";
      index += slashAfter ? 2 : 1;
    } else if (char === "*") pattern += "[^/]*";
    else if (char === "?") pattern += "[^/]";
    else pattern += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${pattern}$`);
}

function normalizePath(path: string): string {
  const cleaned = posix.normalize(path.replaceAll("\\", "/"));
  return cleaned.startsWith("./") ? cleaned.slice(2) : cleaned;
}
