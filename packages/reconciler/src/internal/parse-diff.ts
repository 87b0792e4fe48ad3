/** One line a diff adds or removes, with its line number in the new (added) or old (removed) file. */
export interface DiffLine {
  readonly line: number;
  readonly text: string;
}

export interface DiffFile {
  /** Path before the change; null for an added file. */
  readonly oldPath: string | null;
  /** Path after the change; null for a deleted file. */
  readonly newPath: string | null;
  readonly added: DiffLine[];
  readonly removed: DiffLine[];
}

function unquote(path: string): string {
  return path.startsWith('"') && path.endsWith('"') ? path.slice(1, -1).replace(/\\"/g, '"') : path;
}

function stripPrefix(path: string): string | null {
  const clean = unquote(path.trim());
  if (clean === "/dev/null") return null;
  return clean.replace(/^[ab]\//, "");
}

/** Parses a unified git diff (`git diff`, `git show`) into files with their added and removed lines. */
export function parseDiff(diff: string): DiffFile[] {
  const files: DiffFile[] = [];
  let current: {
    oldPath: string | null;
    newPath: string | null;
    added: DiffLine[];
    removed: DiffLine[];
  } | null = null;
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  for (const line of diff.split("\n")) {
    if (line.startsWith("diff --git ")) {
      const match = /^diff --git (?:"?a\/(.+?)"?) (?:"?b\/(.+?)"?)$/.exec(line);
      current = { oldPath: match?.[1] ?? null, newPath: match?.[2] ?? null, added: [], removed: [] };
      files.push(current);
      inHunk = false;
      continue;
    }
    if (current === null) continue;
    if (!inHunk) {
      if (line.startsWith("new file mode")) current.oldPath = null;
      else if (line.startsWith("deleted file mode")) current.newPath = null;
      else if (line.startsWith("rename from ")) current.oldPath = line.slice("rename from ".length);
      else if (line.startsWith("rename to ")) current.newPath = line.slice("rename to ".length);
      else if (line.startsWith("--- ")) current.oldPath = stripPrefix(line.slice(4));
      else if (line.startsWith("+++ ")) current.newPath = stripPrefix(line.slice(4));
    }
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk !== null) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    if (line.startsWith("+")) {
      current.added.push({ line: newLine, text: line.slice(1) });
      newLine += 1;
    } else if (line.startsWith("-")) {
      current.removed.push({ line: oldLine, text: line.slice(1) });
      oldLine += 1;
    } else if (line.startsWith(" ")) {
      oldLine += 1;
      newLine += 1;
    }
  }
  return files;
}
