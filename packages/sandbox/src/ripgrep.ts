import { posix } from "node:path";
import { z } from "zod";
import type { SearchMatch, SearchOptions } from "./sandbox.js";

/** Longest matching line text kept in a `SearchMatch`. */
export const maxMatchTextLength = 500;
/** Matches returned when `maxResults` is not given. */
export const defaultMaxSearchResults = 100;

/**
 * ripgrep arguments for `SearchOptions`, to run with the workspace root as working directory:
 * JSON output sorted by path, hidden files included, `.git` and ignored files excluded (the file
 * set of `git ls-files --cached --others --exclude-standard`).
 */
export function ripgrepArgs(pattern: string, target: string, options: SearchOptions = {}): string[] {
  const args = ["--json", "--sort", "path", "--hidden", "--glob", "!.git", "--no-config", "--no-messages"];
  if (options.ignoreCase === true) args.push("--ignore-case");
  if (options.literal === true) args.push("--fixed-strings");
  if (options.glob !== undefined) args.push("--glob", options.glob);
  args.push("--regexp", pattern, "--", target === "" ? "." : target);
  return args;
}

const MatchLine = z.object({
  type: z.literal("match"),
  data: z.object({
    path: z.object({ text: z.string() }),
    lines: z.object({ text: z.string() }),
    line_number: z.number().int(),
  }),
});

/** Cuts a line to `maxMatchTextLength` and drops its line ending. */
export function matchText(line: string): string {
  const text = line.replace(/\r?\n$/, "");
  return text.length > maxMatchTextLength ? `${text.slice(0, maxMatchTextLength)}…` : text;
}

/** One line of `rg --json` output as a match (paths made workspace-relative), or null for other records. */
export function parseRipgrepLine(line: string): SearchMatch | null {
  if (!line.includes('"type":"match"')) return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = MatchLine.safeParse(value);
  if (!parsed.success) return null;
  return {
    file: posix.normalize(parsed.data.data.path.text),
    line: parsed.data.data.line_number,
    text: matchText(parsed.data.data.lines.text),
  };
}

/**
 * Whether a workspace-relative path matches a ripgrep-style glob: a glob without `/` matches
 * the file name at any depth, one with `/` the whole path. A leading `!` negates.
 */
export function matchesSearchGlob(path: string, glob: string): boolean {
  if (glob.startsWith("!")) return !matchesSearchGlob(path, glob.slice(1));
  const pattern = glob.replace(/^\//, "");
  return pattern.includes("/")
    ? posix.matchesGlob(path, pattern)
    : posix.matchesGlob(posix.basename(path), pattern);
}
