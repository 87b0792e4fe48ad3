import { execFile } from "node:child_process";
import { open, realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { AbortError, InternalError, throwIfAborted } from "@longshot/core";
import type { CommitSummary, FileListing, RepoReader } from "./repo-reader.js";

const fieldSeparator = "\u001f";

/**
 * The default {@link RepoReader}: the file system for contents and the git CLI (through
 * `node:child_process`) for the file list and history. Reads never leave `root`.
 */
export class GitRepoReader implements RepoReader {
  readonly #root: string;

  /** `root` is the absolute path of the repository's working tree. */
  constructor(root: string) {
    if (!isAbsolute(root)) throw new InternalError(`GitRepoReader needs an absolute path, not ${root}.`);
    this.#root = root;
  }

  async listFiles(options: { readonly limit: number; readonly signal: AbortSignal }): Promise<FileListing> {
    const output = await this.#git(
      ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
      options.signal,
    );
    const paths = [...new Set(output.split("\0").filter((path) => path.length > 0))].sort();
    return { paths: paths.slice(0, options.limit), truncated: paths.length > options.limit };
  }

  async readFile(
    path: string,
    options: { readonly maxChars: number; readonly signal: AbortSignal },
  ): Promise<string | undefined> {
    throwIfAborted(options.signal);
    const absolute = await this.#inside(path);
    if (absolute === undefined) return undefined;
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(absolute, "r");
      const stat = await handle.stat();
      if (!stat.isFile()) return undefined;
      // UTF-8 needs at most 4 bytes a character; reading more would only be thrown away.
      const buffer = Buffer.alloc(Math.min(stat.size, options.maxChars * 4));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      const bytes = buffer.subarray(0, bytesRead);
      if (bytes.includes(0)) return undefined;
      return bytes.toString("utf8").slice(0, options.maxChars);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    } finally {
      await handle?.close();
    }
  }

  async recentCommits(options: {
    readonly limit: number;
    readonly signal: AbortSignal;
  }): Promise<readonly CommitSummary[]> {
    const head = await this.#git(["rev-parse", "--verify", "--quiet", "HEAD"], options.signal).catch(
      (error: unknown) => {
        if (error instanceof AbortError) throw error;
        return "";
      },
    );
    if (head.trim() === "") return [];
    const format = ["%H", "%an", "%at", "%s"].join("%x1f");
    const output = await this.#git(
      ["log", `-n${options.limit}`, `--format=${format}`, "HEAD"],
      options.signal,
    );
    return output
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => {
        const [sha = "", author = "", seconds = "0", ...subject] = line.split(fieldSeparator);
        return { sha, author, at: Number(seconds) * 1000, subject: subject.join(fieldSeparator) };
      });
  }

  /** The absolute path of `path` when it stays inside the repository (symlinks resolved). */
  async #inside(path: string): Promise<string | undefined> {
    const candidate = resolve(this.#root, path);
    let real: string;
    try {
      real = await realpath(candidate);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const root = await realpath(this.#root);
    const within = relative(root, real);
    if (within === "" || within.startsWith(`..${sep}`) || within === ".." || isAbsolute(within))
      return undefined;
    return real;
  }

  #git(args: readonly string[], signal: AbortSignal): Promise<string> {
    throwIfAborted(signal);
    return new Promise((resolvePromise, reject) => {
      execFile(
        "git",
        ["-C", this.#root, ...args],
        { signal, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
        (error, stdout, stderr) => {
          if (signal.aborted) reject(new AbortError(undefined, { cause: signal.reason }));
          else if (error !== null) {
            reject(
              new InternalError(
                `git ${args[0] ?? ""} failed in ${this.#root}: ${stderr.trim() || error.message}`,
                { cause: error },
              ),
            );
          } else resolvePromise(stdout);
        },
      );
    });
  }
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof Error &&
    "code" in error &&
    (error.code === "ENOENT" || error.code === "ENOTDIR" || error.code === "EISDIR")
  );
}
