import type {
  BranchInfo,
  CommitInfo,
  FileStat,
  LogEntry,
  NameStatusEntry,
  StatusEntry,
  WorktreeInfo,
} from "../types.js";

/** Splits NUL-separated output, dropping the empty field after the final NUL. */
export function splitNul(output: string): string[] {
  const fields = output.split("\0");
  if (fields.at(-1) === "") fields.pop();
  return fields;
}

const objectIdPattern = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** True for a full SHA-1 or SHA-256 object id. */
export function isObjectId(value: string): boolean {
  return objectIdPattern.test(value);
}

/** `git status --porcelain=v1 -z`. */
export function parseStatus(output: string): StatusEntry[] {
  const fields = splitNul(output);
  const entries: StatusEntry[] = [];
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index] ?? "";
    const x = field.slice(0, 1);
    const y = field.slice(1, 2);
    const path = field.slice(3);
    if (x === "R" || x === "C") {
      index++;
      entries.push({ index: x, worktree: y, path, from: fields[index] ?? "" });
    } else {
      entries.push({ index: x, worktree: y, path });
    }
  }
  return entries;
}

/** `git worktree list --porcelain -z`: attributes separated by NUL, records by an empty field. */
export function parseWorktreeList(output: string): WorktreeInfo[] {
  const worktrees: WorktreeInfo[] = [];
  let current: { -readonly [K in keyof WorktreeInfo]: WorktreeInfo[K] } | null = null;
  for (const field of output.split("\0")) {
    if (field === "") {
      if (current !== null) worktrees.push(current);
      current = null;
      continue;
    }
    const space = field.indexOf(" ");
    const key = space === -1 ? field : field.slice(0, space);
    const value = space === -1 ? "" : field.slice(space + 1);
    if (key === "worktree") {
      current = {
        path: value,
        head: null,
        branch: null,
        bare: false,
        detached: false,
        locked: false,
        prunable: false,
      };
    } else if (current !== null) {
      if (key === "HEAD") current.head = /^0+$/.test(value) ? null : value;
      else if (key === "branch") current.branch = value;
      else if (key === "bare") current.bare = true;
      else if (key === "detached") current.detached = true;
      else if (key === "locked") current.locked = true;
      else if (key === "prunable") current.prunable = true;
    }
  }
  if (current !== null) worktrees.push(current);
  return worktrees;
}

/** `git for-each-ref --format=%(refname:short)%00%(objectname)` (one ref per line). */
export function parseBranches(output: string): BranchInfo[] {
  return output
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [name = "", sha = ""] = line.split("\0");
      return { name, sha };
    });
}

/** `git diff --name-status -z`. */
export function parseNameStatus(output: string): NameStatusEntry[] {
  const fields = splitNul(output);
  const entries: NameStatusEntry[] = [];
  for (let index = 0; index < fields.length; index++) {
    const status = fields[index] ?? "";
    const letter = status.slice(0, 1);
    if (letter === "R" || letter === "C") {
      const from = fields[index + 1] ?? "";
      const path = fields[index + 2] ?? "";
      index += 2;
      entries.push({ status: letter, path, from });
    } else {
      index++;
      entries.push({ status: letter, path: fields[index] ?? "" });
    }
  }
  return entries;
}

/** `git diff --numstat -z`: `ins\tdel\tpath\0`, or `ins\tdel\t\0from\0to\0` for a rename. */
export function parseNumstat(output: string): FileStat[] {
  const fields = splitNul(output);
  const entries: FileStat[] = [];
  for (let index = 0; index < fields.length; index++) {
    const [added = "", deleted = "", path = ""] = (fields[index] ?? "").split("\t");
    const binary = added === "-" && deleted === "-";
    const counts = {
      insertions: binary ? 0 : Number(added),
      deletions: binary ? 0 : Number(deleted),
      binary,
    };
    if (path === "") {
      const from = fields[index + 1] ?? "";
      const to = fields[index + 2] ?? "";
      index += 2;
      entries.push({ path: to, from, ...counts });
    } else {
      entries.push({ path, ...counts });
    }
  }
  return entries;
}

/** One informational message of `git merge-tree -z`. */
export interface MergeMessage {
  readonly paths: readonly string[];
  /** Machine-readable kind, such as `Auto-merging` or `CONFLICT (contents)`. */
  readonly type: string;
  readonly text: string;
}

/** Parsed `git merge-tree --write-tree --name-only -z` output. */
export interface ParsedMergeTree {
  readonly tree: string;
  readonly files: string[];
  readonly messages: MergeMessage[];
}

/**
 * `git merge-tree --write-tree --name-only -z`: `tree\0` then conflicted paths each ended by
 * NUL, then (unless --no-messages) an empty field and messages `count\0path…\0type\0text\0`.
 * Returns null when the output does not start with an object id (git failed).
 */
export function parseMergeTree(output: string): ParsedMergeTree | null {
  const fields = output.split("\0");
  const tree = fields[0] ?? "";
  if (!isObjectId(tree)) return null;
  const files: string[] = [];
  let index = 1;
  while (index < fields.length && fields[index] !== "") {
    files.push(fields[index] ?? "");
    index++;
  }
  index++;
  const messages: MergeMessage[] = [];
  while (index < fields.length && fields[index] !== "") {
    const count = Number(fields[index]);
    const paths = fields.slice(index + 1, index + 1 + count);
    const type = fields[index + 1 + count] ?? "";
    const text = (fields[index + 2 + count] ?? "").replace(/\n$/, "");
    messages.push({ paths, type, text });
    index += count + 3;
  }
  return { tree, files, messages };
}

/** Format for {@link parseCommitInfo}: fields separated by NUL, the message last. */
export const commitInfoFormat = "%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%s%x00%B";

/** Field count of {@link commitInfoFormat}; the message is the last field. */
const commitInfoFields = 10;

/**
 * Splits `git log -z --format=<commitInfoFormat>` output into one record per commit. With -z a
 * NUL also ends each commit, and no field but the message can hold a NUL-free free text, so a
 * record is always exactly `commitInfoFields` fields.
 */
export function splitCommitRecords(output: string): string[] {
  const fields = output.split("\0");
  const records: string[] = [];
  for (let index = 0; index + commitInfoFields <= fields.length; index += commitInfoFields) {
    records.push(fields.slice(index, index + commitInfoFields).join("\0"));
  }
  return records;
}

/** `git log -1 --format=<commitInfoFormat>`. */
export function parseCommitInfo(output: string): CommitInfo {
  const [sha = "", tree = "", parents = "", authorName = "", authorEmail = "", authorDate = ""] =
    output.split("\0", 6);
  const rest = output.split("\0").slice(6);
  const [committerName = "", committerEmail = "", subject = ""] = rest;
  const message = rest.slice(3).join("\0").replace(/\n+$/, "");
  return {
    sha,
    tree,
    parents: parents === "" ? [] : parents.split(" "),
    author: { name: authorName, email: authorEmail },
    authorDate,
    committer: { name: committerName, email: committerEmail },
    subject,
    message,
  };
}

/** Format for {@link parseLog}, used with `-z`. */
export const logFormat = "%H%x00%P%x00%s";

/** `git log -z --format=<logFormat>`: commits separated by NUL, fields by NUL. */
export function parseLog(output: string): LogEntry[] {
  const fields = splitNul(output);
  const entries: LogEntry[] = [];
  for (let index = 0; index + 2 < fields.length; index += 3) {
    const parents = fields[index + 1] ?? "";
    entries.push({
      sha: fields[index] ?? "",
      parents: parents === "" ? [] : parents.split(" "),
      subject: fields[index + 2] ?? "",
    });
  }
  return entries;
}
