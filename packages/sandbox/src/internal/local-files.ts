import { constants } from "node:fs";
import { lstat, mkdir, open, readdir, readFile, stat } from "node:fs/promises";
import { dirname, posix, relative } from "node:path";
import type { GitRunner } from "@longshot/git";
import type { FileEntry, FileList } from "../sandbox.js";
import { SandboxError } from "../sandbox-error.js";
import { gitOutput } from "./guarded-git.js";

function code(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

function notFound(path: string, what = "file"): SandboxError {
  return new SandboxError("not-found", `No ${what} at "${path}" in the workspace.`, { fields: { path } });
}

/** The text of lines `startLine..endLine` (1-based, inclusive), each with its line ending. */
export function sliceLines(text: string, startLine: number | undefined, endLine: number | undefined): string {
  if (startLine === undefined && endLine === undefined) return text;
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const from = Math.max(1, startLine ?? 1);
  const to = Math.min(lines.length, endLine ?? lines.length);
  return from > to ? "" : lines.slice(from - 1, to).join("");
}

/** Reads a resolved host path as UTF-8. Throws `SandboxError` (`not-found`, `not-a-file`). */
export async function readHostFile(hostPath: string, shownPath: string): Promise<string> {
  try {
    const info = await stat(hostPath);
    if (!info.isFile()) {
      throw new SandboxError("not-a-file", `"${shownPath}" is not a regular file.`, {
        fields: { path: shownPath },
      });
    }
    return await readFile(hostPath, "utf8");
  } catch (error) {
    if (code(error) === "ENOENT" || code(error) === "ENOTDIR") throw notFound(shownPath);
    throw error;
  }
}

/** Writes a resolved host path, creating parents; the last component is never followed if it is a symlink. */
export async function writeHostFile(
  hostPath: string,
  content: string | Uint8Array,
  shownPath: string,
): Promise<void> {
  try {
    await mkdir(dirname(hostPath), { recursive: true });
    const handle = await open(
      hostPath,
      constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
    );
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (code(error) === "EISDIR" || code(error) === "ELOOP" || code(error) === "ENOTDIR") {
      throw new SandboxError(
        "not-a-file",
        `Cannot write "${shownPath}": it is a directory or goes through a file.`,
        {
          fields: { path: shownPath },
        },
      );
    }
    throw error;
  }
}

/** Throws `SandboxError` (`not-found`, `not-a-directory`) unless the resolved path is a directory. */
export async function requireDirectory(hostPath: string, shownPath: string): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(hostPath);
  } catch (error) {
    if (code(error) === "ENOENT" || code(error) === "ENOTDIR") throw notFound(shownPath, "directory");
    throw error;
  }
  if (!info.isDirectory()) {
    throw new SandboxError("not-a-directory", `"${shownPath}" is not a directory.`, {
      fields: { path: shownPath },
    });
  }
}

function entryType(info: { isDirectory(): boolean; isSymbolicLink(): boolean }): FileEntry["type"] {
  if (info.isSymbolicLink()) return "symlink";
  return info.isDirectory() ? "directory" : "file";
}

/** One directory level, `.git` left out, sorted by path. */
export async function listDirectory(
  root: string,
  hostDir: string,
  shownPath: string,
  limit: number,
): Promise<FileList> {
  await requireDirectory(hostDir, shownPath);
  const prefix = relative(root, hostDir).split("\\").join("/");
  const names = (await readdir(hostDir, { withFileTypes: true })).filter((entry) => entry.name !== ".git");
  const entries = names
    .map((entry) => ({
      path: prefix === "" ? entry.name : `${prefix}/${entry.name}`,
      type: entryType(entry),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries: entries.slice(0, limit), truncated: entries.length > limit };
}

/**
 * Files below a directory as git sees them (tracked and untracked, ignored ones and `.git`
 * excluded, files deleted from the workspace left out), sorted by path.
 */
export async function gitTreeFiles(
  git: GitRunner,
  root: string,
  relativeDir: string,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const pathspec = relativeDir === "" ? [] : ["--", relativeDir];
  const listed = await gitOutput(
    git,
    root,
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard", ...pathspec],
    {
      reason: "exec-failed",
      signal,
    },
  );
  const deleted = await gitOutput(git, root, ["ls-files", "-z", "--deleted", ...pathspec], {
    reason: "exec-failed",
    signal,
  });
  const gone = new Set(deleted.stdout.split("\0"));
  const files = new Set(listed.stdout.split("\0").filter((path) => path !== "" && !gone.has(path)));
  return [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Recursive listing: `gitTreeFiles` with types, cut at `limit`. */
export async function listTree(
  git: GitRunner,
  root: string,
  hostDir: string,
  shownPath: string,
  options: { readonly limit: number; readonly signal?: AbortSignal | undefined },
): Promise<FileList> {
  await requireDirectory(hostDir, shownPath);
  const relativeDir = relative(root, hostDir).split("\\").join("/");
  const files = await gitTreeFiles(git, root, relativeDir, options.signal);
  const kept = files.slice(0, options.limit);
  const entries = await Promise.all(
    kept.map(async (path): Promise<FileEntry> => {
      const info = await lstat(posix.join(root, path)).catch(() => null);
      return { path, type: info === null ? "file" : entryType(info) };
    }),
  );
  return { entries, truncated: files.length > options.limit };
}
