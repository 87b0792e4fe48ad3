import { open, realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { InternalError, throwIfAborted } from "@longshot/core";
import { Git, type GitRunner, listWorkingFiles, ProcessGitRunner, recentCommits } from "@longshot/git";
import type { CommitSummary, FileListing, RepoReader } from "./repo-reader.js";

/**
 * The default {@link RepoReader}: the file system for contents and `@longshot/git` for the file
 * list and history. Reads never leave `root`.
 */
export class GitRepoReader implements RepoReader {
  readonly #root: string;
  readonly #runner: GitRunner;

  /** `root` is the absolute path of the repository's working tree; `runner` runs its git. */
  constructor(root: string, options: { readonly runner?: GitRunner } = {}) {
    if (!isAbsolute(root)) throw new InternalError(`GitRepoReader needs an absolute path, not ${root}.`);
    this.#root = root;
    this.#runner = options.runner ?? new ProcessGitRunner();
  }

  async listFiles(options: { readonly limit: number; readonly signal: AbortSignal }): Promise<FileListing> {
    const files = await listWorkingFiles(this.#root, { runner: this.#runner, signal: options.signal });
    const paths = files.sort();
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
    const { signal } = options;
    const head = await new Git(this.#root, { runner: this.#runner }).revParse("HEAD", { signal });
    if (head === null) return [];
    const commits = await recentCommits(this.#root, head, {
      limit: options.limit,
      runner: this.#runner,
      signal,
    });
    return commits.map((commit) => ({
      sha: commit.sha,
      author: commit.author.name,
      at: Date.parse(commit.authorDate),
      subject: commit.subject,
    }));
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
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof Error &&
    "code" in error &&
    (error.code === "ENOENT" || error.code === "ENOTDIR" || error.code === "EISDIR")
  );
}
