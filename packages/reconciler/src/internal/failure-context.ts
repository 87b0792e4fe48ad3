import { posix } from "node:path";
import { normalizeMessage } from "../normalize.js";

/** Source files as they appear in compiler output, stack frames and import errors. */
const sourcePath = String.raw`(?:file:\/\/)?(?:[A-Za-z]:)?[\w@.\/\\-]*[\w@-]\.(?:[cm]?[jt]sx?|py|go|rs|c|cc|cpp|h|hpp|java|kt|rb|php|cs|swift|vue|svelte)\b`;

/** Lines that belong to the runner, not to one failure: frames into its own code and summaries. */
const noise = /^\s*(at |❯ |⎯|ℹ |# |Node\.js v|test at )/;

/** How far below a failure's first line its own output (message, stack) is looked for. */
const blockLines = 30;

export interface FailureContext {
  /** Repository-relative files named in the failure's own output, the failure's file first. */
  readonly files: readonly string[];
  /** The first line of the failure's own output that says what went wrong, normalized. */
  readonly cause: string | null;
}

/**
 * What the output says about one failure beyond its header line: the files its stack trace and
 * import errors name (frames into dependencies and the runtime dropped), and the error line under
 * it. The block is the lines after `index` up to the next failure header (`isHeader`); lines
 * elsewhere that name the failure's file (an import error printed before the report) count too.
 */
export function failureContext(
  lines: readonly string[],
  index: number,
  file: string | null,
  root: string | undefined,
  isHeader: (line: string, index: number) => boolean,
): FailureContext {
  const block: string[] = [];
  for (let next = index + 1; next < lines.length && next <= index + blockLines; next++) {
    // `test at <file>` opens the next node:test failure, before its header line.
    if (isHeader(lines[next]!, next) || /^\s*test at /.test(lines[next]!)) break;
    block.push(lines[next]!);
  }
  const mentions =
    file === null
      ? []
      : lines.filter((line, at) => at !== index && !block.includes(line) && namesFile(line, file, root));
  const files = new Set<string>(file === null ? [] : [file]);
  for (const line of [lines[index] ?? "", ...block, ...mentions]) {
    for (const path of pathsIn(line, file, root)) files.add(path);
  }
  const cause =
    firstCause(block) ?? firstCause(mentions.filter((line) => /\b(Error|error|Cannot|cannot)\b/.test(line)));
  return { files: [...files], cause: cause === null ? null : normalizeMessage(cause, root) };
}

/** Repository-relative source files a line of output names (a message without a header). */
export function filesNamed(line: string, root: string | undefined): string[] {
  return [...new Set(pathsIn(line, null, root))];
}

function firstCause(lines: readonly string[]): string | null {
  for (const raw of lines) {
    const line = raw.trim().replace(/^['"]|['"]$/g, "");
    if (line === "" || noise.test(raw) || /^(test failed|failed|---|\.\.\.)$/i.test(line)) continue;
    if (/^[{}[\]]|^\w+:\s*('|\d|true|false|\[|\{)/.test(line)) continue;
    return line.length > 160 ? `${line.slice(0, 157)}...` : line;
  }
  return null;
}

function namesFile(line: string, file: string, root: string | undefined): boolean {
  return line.includes(file) || (root !== undefined && line.includes(`${root.replace(/\/$/, "")}/${file}`));
}

/** Repository-relative source paths in a line; relative imports resolve against `file`'s folder. */
function pathsIn(line: string, file: string | null, root: string | undefined): string[] {
  const found: string[] = [];
  for (const match of line.matchAll(new RegExp(sourcePath, "g"))) {
    const path = repositoryPath(match[0], file, root);
    if (path !== null) found.push(path);
  }
  return found;
}

function repositoryPath(raw: string, file: string | null, root: string | undefined): string | null {
  let path = raw.replace(/^file:\/\//, "").replace(/\\/g, "/");
  const base = root?.replace(/\/$/, "");
  if (base !== undefined && base !== "" && path.startsWith(`${base}/`)) path = path.slice(base.length + 1);
  else if (path.startsWith("./") || path.startsWith("../")) {
    path = posix.normalize(posix.join(file === null ? "." : posix.dirname(file), path));
  }
  if (path.startsWith("/") || path.startsWith("..") || /^[A-Za-z]:/.test(path)) return null;
  if (/(^|\/)node_modules\//.test(path) || path.startsWith("node:") || !path.includes(".")) return null;
  return path.replace(/^\.\//, "");
}
