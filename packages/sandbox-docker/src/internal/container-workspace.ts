import { posix } from "node:path";
import {
  defaultMaxSearchResults,
  type FileList,
  type ListFilesOptions,
  matchesSearchGlob,
  type PathResolverFs,
  parseRipgrepLine,
  type ReadFileOptions,
  resolveWorkspacePath,
  ripgrepArgs,
  SandboxError,
  type SearchMatch,
  type SearchOptions,
  type SearchResult,
  sliceLines,
  workspaceRelativePath,
} from "@longshot/sandbox";
import type { CapturedExec, ContainerExecRequest } from "./container-exec.js";

/** Runs one internal command in the sandbox's container and returns all of its output. */
export type CaptureCommand = (request: Omit<ContainerExecRequest, "onOutput">) => Promise<CapturedExec>;

const defaultListLimit = 1_000;
const notFound = 3;
const wrongType = 4;

/**
 * File operations on a workspace inside a container, each a command run through the engine,
 * so they work the same for a bind-mounted worktree and for a clone inside the container.
 * Every path first passes `resolveWorkspacePath` (one exec answers all of its realpath and
 * symlink questions), so `..`, absolute paths elsewhere and symlinks out are refused before
 * anything is read or written.
 */
export class ContainerWorkspace {
  constructor(
    private readonly workdir: string,
    private readonly capture: CaptureCommand,
  ) {}

  /** The canonical in-container path of `requested`. Throws `GuardError` (`path-escape`). */
  async resolve(requested: string, signal?: AbortSignal): Promise<string> {
    const relative = workspaceRelativePath(requested, this.workdir);
    // The root itself is canonical already (the provider resolved it); no probe needed.
    if (relative === "") return this.workdir;
    const parts = relative.split("/");
    const candidates = parts.map((_, index) => posix.join(this.workdir, ...parts.slice(0, index + 1)));
    candidates.unshift(this.workdir);
    const script =
      'for p; do if r=$(realpath -e -- "$p" 2>/dev/null); then printf "R\\0%s\\0%s\\0" "$p" "$r"; ' +
      'elif [ -L "$p" ]; then printf "L\\0%s\\0" "$p"; else printf "M\\0%s\\0" "$p"; fi; done';
    const probe = await this.capture({
      argv: ["/bin/sh", "-c", script, "sh", ...candidates],
      ...signalOf(signal),
    });
    return resolveWorkspacePath(requested, {
      hostRoot: this.workdir,
      workdir: this.workdir,
      fs: probedFs(probe.stdout.toString("utf8")),
    });
  }

  async readFile(requested: string, options: ReadFileOptions = {}): Promise<string> {
    const path = await this.resolve(requested, options.signal);
    const result = await this.capture({
      argv: [
        "/bin/sh",
        "-c",
        `[ -e "$1" ] || exit ${notFound}; [ -f "$1" ] || exit ${wrongType}; exec cat -- "$1"`,
        "sh",
        path,
      ],
      ...signalOf(options.signal),
    });
    this.check(result, requested, "not-a-file", "is not a file");
    return sliceLines(result.stdout.toString("utf8"), options.startLine, options.endLine);
  }

  async writeFile(requested: string, content: string | Uint8Array, signal?: AbortSignal): Promise<void> {
    const path = await this.resolve(requested, signal);
    const result = await this.capture({
      argv: ["/bin/sh", "-c", 'mkdir -p -- "$(dirname -- "$1")" && cat >"$1"', "sh", path],
      stdin: typeof content === "string" ? Buffer.from(content, "utf8") : content,
      ...signalOf(signal),
    });
    if (result.exitCode !== 0) {
      throw new SandboxError(
        "exec-failed",
        `Could not write "${requested}": ${result.stderr.toString().trim()}`,
      );
    }
  }

  async listFiles(requested = "", options: ListFilesOptions = {}): Promise<FileList> {
    const path = await this.resolve(requested, options.signal);
    const relative = posix.relative(this.workdir, path);
    const check = `[ -e "$1" ] || exit ${notFound}; [ -d "$1" ] || exit ${wrongType}; `;
    const script =
      options.recursive === true
        ? `${check}cd "$2" && git ls-files -z --cached --others --exclude-standard -- "$3" && printf '\\0\\0' && git ls-files -z --deleted -- "$3"`
        : `${check}find "$1" -mindepth 1 -maxdepth 1 ! -name .git -printf '%y %P\\0'`;
    const result = await this.capture({
      argv: ["/bin/sh", "-c", script, "sh", path, this.workdir, relative === "" ? "." : relative],
      ...signalOf(options.signal),
    });
    this.check(result, requested, "not-a-directory", "is not a directory");
    const entries =
      options.recursive === true ? trackedEntries(result.stdout) : directoryEntries(result.stdout, relative);
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const limit = options.limit ?? defaultListLimit;
    return { entries: entries.slice(0, limit), truncated: entries.length > limit };
  }

  async search(pattern: string, options: SearchOptions = {}): Promise<SearchResult> {
    const path = await this.resolve(options.path ?? "", options.signal);
    const target = posix.relative(this.workdir, path);
    const max = options.maxResults ?? defaultMaxSearchResults;
    const result = await this.capture({
      argv: ["rg", ...ripgrepArgs(pattern, target, options)],
      cwd: this.workdir,
      ...signalOf(options.signal),
    });
    let matches: SearchMatch[];
    if (result.exitCode === 127) {
      matches = await this.grepFallback(pattern, target, options);
    } else {
      if (result.exitCode === 2 && /regex|parse error/i.test(result.stderr.toString())) {
        throw badPattern(pattern, result.stderr.toString());
      }
      matches = result.stdout
        .toString("utf8")
        .split("\n")
        .map(parseRipgrepLine)
        .filter((match): match is SearchMatch => match !== null);
    }
    return { matches: matches.slice(0, max), truncated: matches.length > max };
  }

  /** Search without ripgrep (a custom image): the listed files through `grep -P`. */
  private async grepFallback(
    pattern: string,
    target: string,
    options: SearchOptions,
  ): Promise<SearchMatch[]> {
    const listed = await this.listFiles(target, { recursive: true, limit: Number.MAX_SAFE_INTEGER });
    const files = listed.entries
      .map((entry) => entry.path)
      .filter((file) => options.glob === undefined || matchesSearchGlob(file, options.glob));
    if (files.length === 0) return [];
    const flags = ["-n", "-H", "-I", "--null", options.literal === true ? "-F" : "-P"];
    if (options.ignoreCase === true) flags.push("-i");
    const result = await this.capture({
      argv: [
        "/bin/sh",
        "-c",
        'xargs -0 grep "$@"; status=$?; [ $status -eq 123 ] && exit 1; exit $status',
        "sh",
        ...flags,
        "-e",
        pattern,
        "--",
      ],
      cwd: this.workdir,
      stdin: Buffer.from(`${files.join("\0")}\0`),
      ...signalOf(options.signal),
    });
    if (result.exitCode !== 0 && result.exitCode !== 1) throw badPattern(pattern, result.stderr.toString());
    const matches: SearchMatch[] = [];
    for (const line of result.stdout.toString("utf8").split("\n")) {
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

  private check(
    result: CapturedExec,
    requested: string,
    wrongReason: "not-a-file" | "not-a-directory",
    wrongText: string,
  ): void {
    if (result.exitCode === notFound) {
      throw new SandboxError("not-found", `"${requested}" does not exist in the workspace.`, {
        fields: { path: requested },
      });
    }
    if (result.exitCode === wrongType) {
      throw new SandboxError(wrongReason, `"${requested}" ${wrongText}.`, { fields: { path: requested } });
    }
    if (result.exitCode !== 0) {
      throw new SandboxError(
        "exec-failed",
        `Could not read "${requested}": ${result.stderr.toString().trim()}`,
      );
    }
  }
}

function signalOf(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

function badPattern(pattern: string, stderr: string): SandboxError {
  const detail = stderr.trim().split("\n").slice(-3).join(" ");
  return new SandboxError(
    "bad-pattern",
    `The search pattern "${pattern}" is not a valid regular expression: ${detail}`,
  );
}

/** A `PathResolverFs` answering from one probe of every candidate path. */
function probedFs(output: string): PathResolverFs {
  const fields = output.split("\0");
  const real = new Map<string, string>();
  const links = new Set<string>();
  for (let index = 0; index < fields.length; ) {
    const kind = fields[index];
    const path = fields[index + 1] ?? "";
    if (kind === "R") {
      real.set(path, fields[index + 2] ?? "");
      index += 3;
    } else {
      if (kind === "L") links.add(path);
      index += 2;
    }
  }
  return {
    realpath: async (path) => {
      const found = real.get(path);
      if (found === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
      return found;
    },
    isSymlink: async (path) => links.has(path),
  };
}

function directoryEntries(
  stdout: Buffer,
  relative: string,
): Array<{ path: string; type: "file" | "directory" | "symlink" }> {
  return stdout
    .toString("utf8")
    .split("\0")
    .filter((record) => record.length > 2)
    .map((record) => {
      const kind = record[0];
      const name = record.slice(2);
      const type = kind === "d" ? "directory" : kind === "l" ? "symlink" : "file";
      return { path: relative === "" ? name : `${relative}/${name}`, type };
    });
}

function trackedEntries(stdout: Buffer): Array<{ path: string; type: "file" }> {
  const text = stdout.toString("utf8");
  const split = text.indexOf("\0\0");
  const listed = (split < 0 ? text : text.slice(0, split)).split("\0").filter((path) => path !== "");
  const deleted = new Set(split < 0 ? [] : text.slice(split + 2).split("\0"));
  return [...new Set(listed)]
    .filter((path) => !deleted.has(path))
    .map((path) => ({ path, type: "file" as const }));
}
