import type { FileEntry, SearchMatch } from "../sandbox.js";
import { SandboxError } from "../sandbox-error.js";

/** One level of `find -printf '%y %P\0'`, as paths relative to the workspace root. */
export function directoryEntries(stdout: string, relative: string): FileEntry[] {
  return stdout
    .split("\0")
    .filter((record) => record.length > 2)
    .map((record) => {
      const kind = record[0];
      const name = record.slice(2);
      const type = kind === "d" ? "directory" : kind === "l" ? "symlink" : "file";
      return { path: relative === "" ? name : `${relative}/${name}`, type };
    });
}

/** `git ls-files` of the listed paths, `\0\0`, then of the deleted ones: the files still there. */
export function trackedEntries(stdout: string): FileEntry[] {
  const split = stdout.indexOf("\0\0");
  const listed = (split < 0 ? stdout : stdout.slice(0, split)).split("\0").filter((path) => path !== "");
  const deleted = new Set(split < 0 ? [] : stdout.slice(split + 2).split("\0"));
  return [...new Set(listed)]
    .filter((path) => !deleted.has(path))
    .map((path) => ({ path, type: "file" as const }));
}

/** Matches of `grep -n -H --null`, sorted by file then line. */
export function grepMatches(stdout: string): SearchMatch[] {
  const matches: SearchMatch[] = [];
  for (const line of stdout.split("\n")) {
    const nul = line.indexOf("\0");
    const colon = line.indexOf(":", nul + 1);
    if (nul < 0 || colon < 0) continue;
    matches.push({
      file: line.slice(0, nul),
      line: Number(line.slice(nul + 1, colon)),
      text: line.slice(colon + 1),
    });
  }
  return matches.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

export function badPattern(pattern: string, stderr: string): SandboxError {
  const detail = stderr.trim().split("\n").slice(-3).join(" ");
  return new SandboxError(
    "bad-pattern",
    `The search pattern "${pattern}" is not a valid regular expression: ${detail}`,
  );
}

export function missing(requested: string): SandboxError {
  return new SandboxError("not-found", `"${requested}" does not exist in the workspace.`, {
    fields: { path: requested },
  });
}
