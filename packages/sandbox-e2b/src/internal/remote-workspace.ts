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

/** What the workspace needs from the sandbox: short commands and whole-file transfer. */
export interface RemoteShell {
  run(
    argv: readonly string[],
    options: { readonly cwd?: string; readonly signal?: AbortSignal },
  ): Promise<{
    readonly exitCode: number;
    readonly stdout: string;
    readonly stderr: string;
  }>;
  readFile(path: string, signal: AbortSignal | undefined): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array, signal: AbortSignal | undefined): Promise<void>;
}

type Kind = "file" | "directory" | "other" | "missing";

const defaultListLimit = 1_000;

/**
 * File operations on the workspace inside a remote sandbox. Every path first passes
 * `resolveWorkspacePath`, answered by one probe command (realpath, symlink and type of the
 * path and each of its ancestors), so `..`, absolute paths elsewhere and symlinks out are
 * refused before anything is read or written. Contents travel through the file API.
 */
export class RemoteWorkspace {
  constructor(
    private readonly workdir: string,
    private readonly shell: RemoteShell,
  ) {}

  /** The canonical path of `requested` and what is there. Throws `GuardError` (`path-escape`). */
  async resolve(requested: string, signal?: AbortSignal): Promise<{ path: string; kind: Kind }> {
    const relative = workspaceRelativePath(requested, this.workdir);
    const parts = relative === "" ? [] : relative.split("/");
    const candidates = [
      this.workdir,
      ...parts.map((_, index) => posix.join(this.workdir, ...parts.slice(0, index + 1))),
    ];
    const script =
      'for p; do if r=$(realpath -e -- "$p" 2>/dev/null); then if [ -d "$r" ]; then t=d; elif [ -f "$r" ]; then t=f; else t=o; fi; ' +
      'printf "R\\0%s\\0%s\\0%s\\0" "$p" "$r" "$t"; elif [ -L "$p" ]; then printf "L\\0%s\\0" "$p"; else printf "M\\0%s\\0" "$p"; fi; done';
    const probe = await this.shell.run(["/bin/sh", "-c", script, "sh", ...candidates], signalOf(signal));
    const table = probeTable(probe.stdout);
    const path = await resolveWorkspacePath(requested, {
      hostRoot: this.workdir,
      workdir: this.workdir,
      fs: table.fs,
    });
    return { path, kind: table.kinds.get(path) ?? "missing" };
  }

  async readFile(requested: string, options: ReadFileOptions = {}): Promise<string> {
    const { path, kind } = await this.resolve(requested, options.signal);
    if (kind === "missing") throw missing(requested);
    if (kind !== "file")
      throw new SandboxError("not-a-file", `"${requested}" is not a file.`, { fields: { path: requested } });
    const bytes = await this.shell.readFile(path, options.signal);
    return sliceLines(Buffer.from(bytes).toString("utf8"), options.startLine, options.endLine);
  }

  async writeFile(requested: string, content: string | Uint8Array, signal?: AbortSignal): Promise<void> {
    const { path, kind } = await this.resolve(requested, signal);
    if (kind === "directory")
      throw new SandboxError("not-a-file", `"${requested}" is a directory.`, { fields: { path: requested } });
    await this.shell.writeFile(
      path,
      typeof content === "string" ? Buffer.from(content, "utf8") : content,
      signal,
    );
  }

  async listFiles(requested = "", options: ListFilesOptions = {}): Promise<FileList> {
    const { path, kind } = await this.resolve(requested, options.signal);
    if (kind === "missing") throw missing(requested);
    if (kind !== "directory") {
      throw new SandboxError("not-a-directory", `"${requested}" is not a directory.`, {
        fields: { path: requested },
      });
    }
    const relative = posix.relative(this.workdir, path);
    const script =
      options.recursive === true
        ? `cd "$2" && git ls-files -z --cached --others --exclude-standard -- "$3" && printf '\\0\\0' && git ls-files -z --deleted -- "$3"`
        : `find "$1" -mindepth 1 -maxdepth 1 ! -name .git -printf '%y %P\\0'`;
    const result = await this.shell.run(
      ["/bin/sh", "-c", script, "sh", path, this.workdir, relative === "" ? "." : relative],
      signalOf(options.signal),
    );
    if (result.exitCode !== 0)
      throw new SandboxError("exec-failed", `Could not list "${requested}": ${result.stderr.trim()}`);
    const entries =
      options.recursive === true ? trackedEntries(result.stdout) : directoryEntries(result.stdout, relative);
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const limit = options.limit ?? defaultListLimit;
    return { entries: entries.slice(0, limit), truncated: entries.length > limit };
  }

  async search(pattern: string, options: SearchOptions = {}): Promise<SearchResult> {
    const { path, kind } = await this.resolve(options.path ?? "", options.signal);
    if (kind === "missing") throw missing(options.path ?? "");
    const target = posix.relative(this.workdir, path);
    const result = await this.shell.run(["rg", ...ripgrepArgs(pattern, target, options)], {
      cwd: this.workdir,
      ...signalOf(options.signal),
    });
    let matches: SearchMatch[];
    if (result.exitCode === 127) {
      matches = await this.grepFallback(pattern, target, options);
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

  /** Search without ripgrep (a template without it): the listed files through `grep -P`. */
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
    const result = await this.shell.run(["grep", ...flags, "-e", pattern, "--", ...files], {
      cwd: this.workdir,
      ...signalOf(options.signal),
    });
    if (result.exitCode !== 0 && result.exitCode !== 1) throw badPattern(pattern, result.stderr);
    const matches: SearchMatch[] = [];
    for (const line of result.stdout.split("\n")) {
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
}

function signalOf(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

function missing(requested: string): SandboxError {
  return new SandboxError("not-found", `"${requested}" does not exist in the workspace.`, {
    fields: { path: requested },
  });
}

function badPattern(pattern: string, stderr: string): SandboxError {
  const detail = stderr.trim().split("\n").slice(-3).join(" ");
  return new SandboxError(
    "bad-pattern",
    `The search pattern "${pattern}" is not a valid regular expression: ${detail}`,
  );
}

/** A `PathResolverFs` answering from one probe, plus the kind of every existing real path. */
function probeTable(output: string): { fs: PathResolverFs; kinds: Map<string, Kind> } {
  const fields = output.split("\0");
  const real = new Map<string, string>();
  const kinds = new Map<string, Kind>();
  const links = new Set<string>();
  for (let index = 0; index < fields.length; ) {
    const kind = fields[index];
    const path = fields[index + 1] ?? "";
    if (kind === "R") {
      const target = fields[index + 2] ?? "";
      real.set(path, target);
      const type = fields[index + 3];
      kinds.set(target, type === "d" ? "directory" : type === "f" ? "file" : "other");
      index += 4;
    } else {
      if (kind === "L") links.add(path);
      index += 2;
    }
  }
  const fs: PathResolverFs = {
    realpath: async (path) => {
      const found = real.get(path);
      if (found === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
      return found;
    },
    isSymlink: async (path) => links.has(path),
  };
  return { fs, kinds };
}

function directoryEntries(
  stdout: string,
  relative: string,
): Array<{ path: string; type: "file" | "directory" | "symlink" }> {
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

function trackedEntries(stdout: string): Array<{ path: string; type: "file" }> {
  const split = stdout.indexOf("\0\0");
  const listed = (split < 0 ? stdout : stdout.slice(0, split)).split("\0").filter((path) => path !== "");
  const deleted = new Set(split < 0 ? [] : stdout.slice(split + 2).split("\0"));
  return [...new Set(listed)]
    .filter((path) => !deleted.has(path))
    .map((path) => ({ path, type: "file" as const }));
}
