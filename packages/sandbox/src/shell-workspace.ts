import { posix } from "node:path";
import {
  badPattern,
  directoryEntries,
  grepMatches,
  missing,
  trackedEntries,
} from "./internal/workspace-output.js";
import { probeArgv, probeTable, type WorkspacePathKind } from "./internal/workspace-probe.js";
import { resolveWorkspacePath, workspaceRelativePath } from "./path-guard.js";
import { defaultMaxSearchResults, matchesSearchGlob, parseRipgrepLine, ripgrepArgs } from "./ripgrep.js";
import type {
  FileList,
  ListFilesOptions,
  ReadFileOptions,
  SearchMatch,
  SearchOptions,
  SearchResult,
} from "./sandbox.js";
import { SandboxError } from "./sandbox-error.js";
import { sliceLines } from "./slice-lines.js";

/** One short internal command (probe, listing, search) for {@link WorkspaceExec}. */
export interface WorkspaceCommand {
  /** Program and arguments, run without a shell (the workspace asks for `/bin/sh` where it needs one). */
  readonly argv: readonly string[];
  /** Absolute working directory in the sandbox; the channel's default when absent. */
  readonly cwd?: string;
  /** Bytes for standard input, which is then closed. Only ever given when the workspace has no `files`. */
  readonly stdin?: Uint8Array;
  readonly signal?: AbortSignal;
}

/** The whole output of a {@link WorkspaceCommand}. */
export interface WorkspaceCommandResult {
  /** The exit code, 127 when the program is not found; null when it is unknown (the process was lost). */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one internal command inside the sandbox and resolves with all of its output. It rejects
 * only when the channel fails (an `AbortError` when `signal` aborts, for example); a failing
 * command is a result.
 */
export type WorkspaceExec = (command: WorkspaceCommand) => Promise<WorkspaceCommandResult>;

/** Whole-file transfer through a file API of the sandbox, bypassing the exec channel. */
export interface WorkspaceFiles {
  readFile(path: string, signal: AbortSignal | undefined): Promise<Uint8Array>;
  /** Writes `path`, creating its parent directories. */
  writeFile(path: string, data: Uint8Array, signal: AbortSignal | undefined): Promise<void>;
}

export type { WorkspacePathKind } from "./internal/workspace-probe.js";

export interface ResolvedWorkspacePath {
  /** The canonical path inside the sandbox (missing trailing components kept as given). */
  readonly path: string;
  readonly kind: WorkspacePathKind;
}

export interface ShellWorkspaceOptions {
  /** The canonical workspace root inside the sandbox (already resolved by the provider). */
  readonly workdir: string;
  readonly exec: WorkspaceExec;
  /**
   * Where file contents travel; the one way remote providers differ.
   *
   * Without `files` everything goes through `exec`, which must honour `stdin`: reads `cat`,
   * writes pipe into `cat` after `mkdir -p`, each command checks the path's type itself (one
   * round trip), the workspace root is taken as the directory it is without a probe, a search
   * of a missing path finds nothing, and the search without ripgrep feeds the file list to
   * `xargs` on stdin. Writing onto a directory fails as `exec-failed`.
   *
   * With `files`, contents travel through it and `exec` never gets `stdin`: types come from the
   * path probe (the root included), so a missing or wrongly typed path fails before any
   * transfer or command (a missing search path as `not-found`, writing onto a directory as
   * `not-a-file`), and the search without ripgrep passes the files to `grep` as arguments.
   */
  readonly files?: WorkspaceFiles;
}

const defaultListLimit = 1_000;
const notFound = 3;
const wrongType = 4;

/**
 * The `Sandbox` file operations (read, write, list, search) for a workspace that lives where
 * only an exec channel reaches (a container, a remote VM), shared by the Docker and E2B
 * providers.
 *
 * Every path first passes `resolveWorkspacePath`, answered by one probe command (realpath,
 * symlink and type of the path and each of its ancestors), so `..`, absolute paths elsewhere
 * and symlinks out are refused with a `GuardError` (`path-escape`) before anything is read or
 * written. Other failures are `SandboxError`s: `not-found`, `not-a-file`, `not-a-directory`,
 * `bad-pattern`, `exec-failed` (a command failed otherwise). Rejections of `exec` and `files`
 * (aborts included) propagate unchanged. Results follow the `Sandbox` contract: listings and
 * matches sorted by path, `.git` and ignored files left out of trees and searches, limits
 * reported as `truncated`.
 */
export class ShellWorkspace {
  readonly #workdir: string;
  readonly #exec: WorkspaceExec;
  readonly #files: WorkspaceFiles | undefined;

  constructor(options: ShellWorkspaceOptions) {
    this.#workdir = options.workdir;
    this.#exec = options.exec;
    this.#files = options.files;
  }

  /** The canonical path of `requested` and what is there. Throws `GuardError` (`path-escape`). */
  async resolve(requested: string, signal?: AbortSignal): Promise<ResolvedWorkspacePath> {
    const relative = workspaceRelativePath(requested, this.#workdir);
    if (relative === "" && this.#files === undefined) return { path: this.#workdir, kind: "directory" };
    const probe = await this.#exec({ argv: probeArgv(this.#workdir, relative), ...signalOf(signal) });
    const table = probeTable(probe.stdout);
    const path = await resolveWorkspacePath(requested, {
      hostRoot: this.#workdir,
      workdir: this.#workdir,
      fs: table.fs,
    });
    return { path, kind: table.kinds.get(path) ?? "missing" };
  }

  /** The file's text, or the lines `startLine..endLine` of it (see `sliceLines`). */
  async readFile(requested: string, options: ReadFileOptions = {}): Promise<string> {
    const { path, kind } = await this.resolve(requested, options.signal);
    let text: string;
    if (this.#files === undefined) {
      const script = `[ -e "$1" ] || exit ${notFound}; [ -f "$1" ] || exit ${wrongType}; exec cat -- "$1"`;
      const result = await this.#exec({
        argv: ["/bin/sh", "-c", script, "sh", path],
        ...signalOf(options.signal),
      });
      checkExit(result, requested, "not-a-file", "is not a file");
      text = result.stdout;
    } else {
      if (kind === "missing") throw missing(requested);
      if (kind !== "file")
        throw new SandboxError("not-a-file", `"${requested}" is not a file.`, {
          fields: { path: requested },
        });
      text = Buffer.from(await this.#files.readFile(path, options.signal)).toString("utf8");
    }
    return sliceLines(text, options.startLine, options.endLine);
  }

  /** Writes the file, creating parent directories. */
  async writeFile(requested: string, content: string | Uint8Array, signal?: AbortSignal): Promise<void> {
    const { path, kind } = await this.resolve(requested, signal);
    const data = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    if (this.#files !== undefined) {
      if (kind === "directory")
        throw new SandboxError("not-a-file", `"${requested}" is a directory.`, {
          fields: { path: requested },
        });
      await this.#files.writeFile(path, data, signal);
      return;
    }
    const result = await this.#exec({
      argv: ["/bin/sh", "-c", 'mkdir -p -- "$(dirname -- "$1")" && cat >"$1"', "sh", path],
      stdin: data,
      ...signalOf(signal),
    });
    if (result.exitCode !== 0)
      throw new SandboxError("exec-failed", `Could not write "${requested}": ${result.stderr.trim()}`);
  }

  /** One directory level, or with `recursive` the files below it as git sees them. */
  async listFiles(requested = "", options: ListFilesOptions = {}): Promise<FileList> {
    const { path, kind } = await this.resolve(requested, options.signal);
    let check = "";
    if (this.#files === undefined)
      check = `[ -e "$1" ] || exit ${notFound}; [ -d "$1" ] || exit ${wrongType}; `;
    else if (kind === "missing") throw missing(requested);
    else if (kind !== "directory") {
      throw new SandboxError("not-a-directory", `"${requested}" is not a directory.`, {
        fields: { path: requested },
      });
    }
    const relative = posix.relative(this.#workdir, path);
    const script =
      options.recursive === true
        ? `${check}cd "$2" && git ls-files -z --cached --others --exclude-standard -- "$3" && printf '\\0\\0' && git ls-files -z --deleted -- "$3"`
        : `${check}find "$1" -mindepth 1 -maxdepth 1 ! -name .git -printf '%y %P\\0'`;
    const result = await this.#exec({
      argv: ["/bin/sh", "-c", script, "sh", path, this.#workdir, relative === "" ? "." : relative],
      ...signalOf(options.signal),
    });
    if (this.#files === undefined) checkExit(result, requested, "not-a-directory", "is not a directory");
    else if (result.exitCode !== 0)
      throw new SandboxError("exec-failed", `Could not list "${requested}": ${result.stderr.trim()}`);
    const entries =
      options.recursive === true ? trackedEntries(result.stdout) : directoryEntries(result.stdout, relative);
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const limit = options.limit ?? defaultListLimit;
    return { entries: entries.slice(0, limit), truncated: entries.length > limit };
  }

  /** Searches file contents with ripgrep, or `grep` over the listed files where it is missing. */
  async search(pattern: string, options: SearchOptions = {}): Promise<SearchResult> {
    const { path, kind } = await this.resolve(options.path ?? "", options.signal);
    if (this.#files !== undefined && kind === "missing") throw missing(options.path ?? "");
    const target = posix.relative(this.#workdir, path);
    const result = await this.#exec({
      argv: ["rg", ...ripgrepArgs(pattern, target, options)],
      cwd: this.#workdir,
      ...signalOf(options.signal),
    });
    let matches: SearchMatch[];
    if (result.exitCode === 127) {
      matches = await this.#grepFallback(pattern, target, options);
    } else {
      if (result.exitCode === 2 && /regex|parse error/i.test(result.stderr))
        throw badPattern(pattern, result.stderr);
      matches = result.stdout
        .split("\n")
        .map(parseRipgrepLine)
        .filter((match): match is SearchMatch => match !== null);
    }
    const max = options.maxResults ?? defaultMaxSearchResults;
    return { matches: matches.slice(0, max), truncated: matches.length > max };
  }

  /** Search without ripgrep (an image or template without it): the listed files through `grep -P`. */
  async #grepFallback(pattern: string, target: string, options: SearchOptions): Promise<SearchMatch[]> {
    const listed = await this.listFiles(target, { recursive: true, limit: Number.MAX_SAFE_INTEGER });
    const files = listed.entries
      .map((entry) => entry.path)
      .filter((file) => options.glob === undefined || matchesSearchGlob(file, options.glob));
    if (files.length === 0) return [];
    const flags = ["-n", "-H", "-I", "--null", options.literal === true ? "-F" : "-P"];
    if (options.ignoreCase === true) flags.push("-i");
    const grep = ["-e", pattern, "--"];
    const result = await this.#exec(
      this.#files === undefined
        ? {
            argv: [
              "/bin/sh",
              "-c",
              'xargs -0 grep "$@"; status=$?; [ $status -eq 123 ] && exit 1; exit $status',
              "sh",
              ...flags,
              ...grep,
            ],
            cwd: this.#workdir,
            stdin: Buffer.from(`${files.join("\0")}\0`),
            ...signalOf(options.signal),
          }
        : { argv: ["grep", ...flags, ...grep, ...files], cwd: this.#workdir, ...signalOf(options.signal) },
    );
    if (result.exitCode !== 0 && result.exitCode !== 1) throw badPattern(pattern, result.stderr);
    return grepMatches(result.stdout);
  }
}

/** Maps the exit codes of a command that checked its path itself. */
function checkExit(
  result: WorkspaceCommandResult,
  requested: string,
  wrongReason: "not-a-file" | "not-a-directory",
  wrongText: string,
): void {
  if (result.exitCode === notFound) throw missing(requested);
  if (result.exitCode === wrongType) {
    throw new SandboxError(wrongReason, `"${requested}" ${wrongText}.`, { fields: { path: requested } });
  }
  if (result.exitCode !== 0) {
    throw new SandboxError("exec-failed", `Could not read "${requested}": ${result.stderr.trim()}`);
  }
}

function signalOf(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}
