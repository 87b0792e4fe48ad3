import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { posix } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { AbortError, type ProcessLauncher, processLauncher } from "@longshot/core";
import type { GitRunner } from "@longshot/git";
import { matchesSearchGlob, matchText, parseRipgrepLine, ripgrepArgs } from "../ripgrep.js";
import type { SearchMatch, SearchOptions, SearchResult } from "../sandbox.js";
import { SandboxError } from "../sandbox-error.js";
import { gitTreeFiles } from "./local-files.js";

/** Files larger than this are skipped by the built-in search, as binary-ish. */
const maxFallbackFileBytes = 4 * 1024 * 1024;

export interface LocalSearchRequest {
  readonly root: string;
  /** Workspace-relative directory or file to search ("" for the root). */
  readonly target: string;
  readonly pattern: string;
  readonly options: SearchOptions;
  readonly maxResults: number;
  readonly env: Readonly<Record<string, string>>;
}

function byFileThenLine(a: SearchMatch, b: SearchMatch): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line;
}

function badPattern(pattern: string, detail: string): SandboxError {
  return new SandboxError(
    "bad-pattern",
    `The search pattern "${pattern}" is not a valid regular expression: ${detail}`,
    {
      fields: { pattern },
    },
  );
}

/** Searches with ripgrep, stopping it once more than `maxResults` matches arrived. */
export function searchWithRipgrep(
  binary: string,
  request: LocalSearchRequest,
  signal?: AbortSignal,
  launcher: ProcessLauncher = processLauncher(),
): Promise<SearchResult> {
  return new Promise((resolve, reject) => {
    const matches: SearchMatch[] = [];
    let stderr = "";
    let stoppedEarly = false;
    let pending = "";
    const decoder = new StringDecoder("utf8");
    const onLine = (line: string): void => {
      if (stoppedEarly) return;
      const match = parseRipgrepLine(line);
      if (match === null) return;
      matches.push(match);
      if (matches.length > request.maxResults) {
        stoppedEarly = true;
        void child.kill();
      }
    };
    const onText = (text: string): void => {
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      // Lines end as readline would end them: "\n" or "\r\n".
      for (const line of lines) onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
    };
    const child = launcher.launch(
      {
        argv: [binary, ...ripgrepArgs(request.pattern, request.target, request.options)],
        cwd: request.root,
        env: { ...request.env },
      },
      {
        stdout: (chunk) => onText(decoder.write(chunk)),
        stderr: (chunk) => {
          stderr += chunk.toString("utf8");
        },
      },
    );
    const onAbort = (): void => {
      void child.kill();
      reject(new AbortError("The search was cancelled.", { cause: signal?.reason }));
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    void child.ended.then((end) => {
      signal?.removeEventListener("abort", onAbort);
      if (end.kind === "failed") {
        reject(end.error);
        return;
      }
      onText(decoder.end());
      if (pending !== "") onLine(pending);
      const exitCode = end.code;
      if (!stoppedEarly && exitCode === 2 && /regex|parse error|syntax/i.test(stderr)) {
        reject(badPattern(request.pattern, stderr.trim().split("\n").slice(-2).join(" ")));
        return;
      }
      if (!stoppedEarly && exitCode !== 0 && exitCode !== 1 && matches.length === 0 && stderr.trim() !== "") {
        reject(new SandboxError("exec-failed", `ripgrep failed: ${stderr.trim()}`, { fields: { exitCode } }));
        return;
      }
      matches.sort(byFileThenLine);
      resolve({
        matches: matches.slice(0, request.maxResults),
        truncated: matches.length > request.maxResults,
      });
    });
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The built-in search: the same files and result shape as ripgrep, with JavaScript regular expressions. */
export async function searchWithFallback(
  git: GitRunner,
  request: LocalSearchRequest,
  signal?: AbortSignal,
): Promise<SearchResult> {
  let regexp: RegExp;
  try {
    const source = request.options.literal === true ? escapeRegExp(request.pattern) : request.pattern;
    regexp = new RegExp(source, request.options.ignoreCase === true ? "iu" : "u");
  } catch (error) {
    throw badPattern(request.pattern, error instanceof Error ? error.message : String(error));
  }
  const glob = request.options.glob;
  const files = (await gitTreeFiles(git, request.root, request.target, signal)).filter(
    (file) => glob === undefined || matchesSearchGlob(file, glob),
  );
  const matches: SearchMatch[] = [];
  for (const file of files) {
    if (signal?.aborted) throw new AbortError("The search was cancelled.", { cause: signal.reason });
    const text = await readSmallText(posix.join(request.root, file));
    if (text === null) continue;
    const lines = text.split("\n");
    for (let index = 0; index < lines.length; index += 1) {
      const line = lines[index] as string;
      if (index === lines.length - 1 && line === "") break;
      if (!regexp.test(line)) continue;
      matches.push({ file, line: index + 1, text: matchText(line) });
      if (matches.length > request.maxResults)
        return { matches: matches.slice(0, request.maxResults), truncated: true };
    }
  }
  return { matches, truncated: false };
}

async function readSmallText(path: string): Promise<string | null> {
  try {
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const info = await handle.stat();
      if (!info.isFile() || info.size > maxFallbackFileBytes) return null;
      const buffer = await handle.readFile();
      return buffer.includes(0) ? null : buffer.toString("utf8");
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}
