import { outputLines } from "./internal/ansi.js";

/** Lines that usually say what went wrong, across compilers, linters and test runners. */
const important = [
  /\berror\b|\bERR!|\bERROR\b/i,
  /\bfail(ed|ing|ure)?\b|\bFAIL\b|✗|×|✖/i,
  /^\s*(not ok)\b/,
  /\bassert(ion)?\b|\bexpected\b|\breceived\b/i,
  /\bpanicked\b|^Traceback|^\s*raise\b|Exception\b/,
  /\bundefined\b|\bcannot find\b|\bnot found\b|\bunexpected\b/i,
  /^\s*●|^\s*›|^\s*-->|^\s*at .+:\d+:\d+\)?$/,
  /[\w./-]+\.\w+[:(]\d+[:,]\d+\)?/,
];

const noise = [
  /^\s*$/,
  /^\s*at (node:|.*node_modules\/)/,
  /^\s*at (async )?Promise/,
  /^npm (ERR!|error|warn|WARN|notice)/,
  /ELIFECYCLE|^error Command failed with exit code|^info Visit/,
];

export interface ExcerptOptions {
  /** Default 40. */
  readonly maxLines?: number;
  /** Default 4096. */
  readonly maxBytes?: number;
}

/**
 * The lines of a failed command's output that matter: error lines, failing test names and
 * `file:line` locations, each with the line after it for context, deduplicated and in order,
 * within `maxLines` and `maxBytes`. When nothing looks like an error, the last lines.
 */
export function failureExcerpt(output: string, options: ExcerptOptions = {}): string {
  const maxLines = options.maxLines ?? 40;
  const maxBytes = options.maxBytes ?? 4096;
  const lines = outputLines(output).map((line) => line.trimEnd());
  const chosen = new Set<number>();
  lines.forEach((line, index) => {
    if (noise.some((pattern) => pattern.test(line))) return;
    if (!important.some((pattern) => pattern.test(line))) return;
    chosen.add(index);
    const next = lines[index + 1];
    if (next !== undefined && !noise.some((pattern) => pattern.test(next))) chosen.add(index + 1);
  });
  const picked =
    chosen.size > 0
      ? [...chosen].sort((a, b) => a - b).map((index) => lines[index] ?? "")
      : lines.filter((line) => line.trim() !== "").slice(-maxLines);
  return cap(dedupe(picked), maxLines, maxBytes);
}

function dedupe(lines: readonly string[]): string[] {
  const seen = new Set<string>();
  return lines.filter((line) => {
    const key = line.trim();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function cap(lines: readonly string[], maxLines: number, maxBytes: number): string {
  const marker = 32;
  const kept: string[] = [];
  let bytes = 0;
  for (const [index, line] of lines.entries()) {
    const short = line.length > 400 ? `${line.slice(0, 400)} …` : line;
    const size = Buffer.byteLength(short) + 1;
    const last = index === lines.length - 1;
    const lineRoom = last ? maxLines : maxLines - 1;
    const byteRoom = last ? maxBytes : maxBytes - marker;
    if (kept.length >= lineRoom || bytes + size > byteRoom) {
      kept.push(`… ${lines.length - kept.length} more lines`);
      break;
    }
    kept.push(short);
    bytes += size;
  }
  return kept.join("\n");
}
