/**
 * The conflicted hunks of a file as `merge-tree` wrote it (with conflict markers), and putting
 * resolved hunks back. Pure: no git, no I/O.
 */

/** One place in a file where the integration branch and the task changed the same lines. */
export interface ConflictHunk {
  /** `<path>#<n>`, n counting from 1 in the file. */
  readonly id: string;
  readonly file: string;
  /** Unconflicted lines just before the hunk (at most the context asked for). */
  readonly before: readonly string[];
  /** The integration branch's lines. */
  readonly integration: readonly string[];
  /** The common ancestor's lines, when the markers carry them (diff3 style); else null. */
  readonly base: readonly string[] | null;
  /** The task's lines. */
  readonly task: readonly string[];
  /** Unconflicted lines just after the hunk. */
  readonly after: readonly string[];
}

type Segment =
  | { readonly kind: "text"; readonly lines: readonly string[] }
  | { readonly kind: "hunk"; readonly hunk: ConflictHunk };

/** A conflicted file cut into unconflicted text and hunks. */
export interface HunkedFile {
  readonly file: string;
  readonly hunks: readonly ConflictHunk[];
  readonly segments: readonly Segment[];
  /** Whether the file ended with a newline. */
  readonly finalNewline: boolean;
}

/** A model's (or anyone's) answer for one hunk: the lines that replace it, as text. */
export interface HunkAnswer {
  readonly id: string;
  readonly resolution: string;
}

/** The files with every hunk replaced, or what was wrong with the answers. */
export type SplicedFiles =
  | { readonly ok: true; readonly contents: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly problems: readonly string[] };

const start = /^<{7}(?: |$)/;
const baseMark = /^\|{7}(?: |$)/;
const middle = /^={7}$/;
const end = /^>{7}(?: |$)/;

/** True for a line that is a conflict marker (CR of a CRLF file ignored). */
export function isConflictMarker(line: string): boolean {
  const bare = line.endsWith("\r") ? line.slice(0, -1) : line;
  return start.test(bare) || baseMark.test(bare) || middle.test(bare) || end.test(bare);
}

/**
 * Cuts a conflicted file into text and hunks. Returns null when the file holds no complete
 * hunk or its markers do not nest (a file whose conflict is not textual, such as a deletion on
 * one side, has nothing to answer hunk by hunk).
 */
export function parseConflictedFile(file: string, content: string, contextLines = 3): HunkedFile | null {
  const finalNewline = content.endsWith("\n");
  const lines = content === "" ? [] : (finalNewline ? content.slice(0, -1) : content).split("\n");
  const raw: (
    | { kind: "text"; lines: string[] }
    | { kind: "hunk"; integration: string[]; base: string[] | null; task: string[] }
  )[] = [];
  let text: string[] = [];
  let hunk: { integration: string[]; base: string[] | null; task: string[] } | null = null;
  let part: "integration" | "base" | "task" = "integration";
  for (const line of lines) {
    const bare = line.endsWith("\r") ? line.slice(0, -1) : line;
    if (hunk === null) {
      if (start.test(bare)) {
        raw.push({ kind: "text", lines: text });
        text = [];
        hunk = { integration: [], base: null, task: [] };
        part = "integration";
      } else if (isConflictMarker(line)) return null;
      else text.push(line);
      continue;
    }
    if (start.test(bare)) return null;
    if (baseMark.test(bare) && part === "integration") {
      hunk.base = [];
      part = "base";
    } else if (middle.test(bare) && part !== "task") part = "task";
    else if (end.test(bare) && part === "task") {
      raw.push({ kind: "hunk", ...hunk });
      hunk = null;
    } else if (isConflictMarker(line)) return null;
    else if (part === "base") hunk.base!.push(line);
    else hunk[part].push(line);
  }
  if (hunk !== null) return null;
  raw.push({ kind: "text", lines: text });
  const segments: Segment[] = [];
  const hunks: ConflictHunk[] = [];
  raw.forEach((entry, index) => {
    if (entry.kind === "text") {
      if (entry.lines.length > 0) segments.push({ kind: "text", lines: entry.lines });
      return;
    }
    const previous = raw[index - 1];
    const next = raw[index + 1];
    const before = previous?.kind === "text" ? previous.lines.slice(-contextLines) : [];
    const after = next?.kind === "text" ? next.lines.slice(0, contextLines) : [];
    const parsed: ConflictHunk = {
      id: `${file}#${hunks.length + 1}`,
      file,
      before: contextLines > 0 ? before : [],
      integration: entry.integration,
      base: entry.base,
      task: entry.task,
      after: contextLines > 0 ? after : [],
    };
    hunks.push(parsed);
    segments.push({ kind: "hunk", hunk: parsed });
  });
  if (hunks.length === 0) return null;
  return { file, hunks, segments, finalNewline };
}

/** The lines of an answer: a trailing newline ends the last line rather than adding an empty one. */
function answerLines(resolution: string): string[] {
  if (resolution === "") return [];
  const trimmed = resolution.endsWith("\n") ? resolution.slice(0, -1) : resolution;
  return trimmed.split("\n");
}

/**
 * Puts the answers in place of the hunks, leaving every other line of each file as it was.
 * Every hunk needs exactly one answer; an answer for no hunk, a second answer for a hunk, or an
 * answer holding a conflict marker is a problem, and any problem returns the list instead of
 * files.
 */
export function spliceAnswers(files: readonly HunkedFile[], answers: readonly HunkAnswer[]): SplicedFiles {
  const problems: string[] = [];
  const known = new Set(files.flatMap((file) => file.hunks.map((hunk) => hunk.id)));
  const byId = new Map<string, string[]>();
  for (const answer of answers) {
    if (!known.has(answer.id)) problems.push(`${answer.id} names no conflicted hunk.`);
    else if (byId.has(answer.id)) problems.push(`${answer.id} is answered more than once.`);
    else {
      const lines = answerLines(answer.resolution);
      if (lines.some(isConflictMarker)) problems.push(`${answer.id} still holds conflict markers.`);
      byId.set(answer.id, lines);
    }
  }
  for (const id of known) if (!byId.has(id)) problems.push(`${id} has no answer.`);
  if (problems.length > 0) return { ok: false, problems };
  const contents = new Map<string, string>();
  for (const file of files) {
    const lines = file.segments.flatMap((segment) =>
      segment.kind === "text" ? segment.lines : byId.get(segment.hunk.id)!,
    );
    const body = lines.join("\n");
    contents.set(file.file, lines.length > 0 && file.finalNewline ? `${body}\n` : body);
  }
  return { ok: true, contents };
}
