import { lstat, realpath } from "node:fs/promises";
import { posix, sep } from "node:path";
import { GuardError } from "./sandbox-error.js";

/** The file-system calls `resolveWorkspacePath` needs; node:fs by default, a remote shell for remote providers. */
export interface PathResolverFs {
  /** Canonical path; rejects with an error whose `code` is `ENOENT` or `ENOTDIR` when it does not exist. */
  realpath(path: string): Promise<string>;
  /** Whether the path itself (not followed) is a symbolic link; false when it does not exist. */
  isSymlink(path: string): Promise<boolean>;
}

export const nodePathResolverFs: PathResolverFs = {
  realpath: (path) => realpath(path),
  isSymlink: async (path) => {
    try {
      return (await lstat(path)).isSymbolicLink();
    } catch {
      return false;
    }
  },
};

function escapeError(requested: string, why: string): GuardError {
  return new GuardError(
    "path-escape",
    `Path "${requested}" is outside the workspace (${why}); use a path relative to the workspace root.`,
    { fields: { path: requested } },
  );
}

/**
 * Lexical check: the workspace-relative form (`/` separators, `""` for the root) of a path
 * given relative to the workspace or absolute under `workdir`. Throws `GuardError`
 * (`path-escape`) for `..` escapes, absolute paths elsewhere and NUL bytes. Symlinks are not
 * looked at; `resolveWorkspacePath` does that.
 */
export function workspaceRelativePath(requested: string, workdir: string): string {
  if (requested.includes("\0")) throw escapeError(requested, "it contains a NUL byte");
  const root = posix.normalize(workdir.split(sep).join("/")).replace(/\/+$/, "") || "/";
  const given = requested.split(sep).join("/");
  const absolute = posix.isAbsolute(given);
  const normalized = posix.normalize(absolute ? given : posix.join(root, given || "."));
  if (normalized !== root && !normalized.startsWith(root === "/" ? "/" : `${root}/`)) {
    throw escapeError(requested, absolute ? "an absolute path elsewhere" : "it climbs out with ..");
  }
  return posix.relative(root, normalized);
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith("/") ? root : `${root}/`);
}

export interface ResolveWorkspacePathOptions {
  /** Canonical (realpath) of the workspace root as this process sees it. */
  readonly hostRoot: string;
  /** The workspace root as commands inside see it (absolute requests are checked against it). */
  readonly workdir: string;
  readonly fs?: PathResolverFs;
}

/**
 * Resolves a requested path to a canonical path under `hostRoot`: the lexical check, then the
 * realpath of the nearest existing ancestor (so symlinks anywhere on the way are followed) must
 * stay inside the workspace. A dangling symlink is refused, since writing through it would
 * create its target wherever it points. Throws `GuardError` (`path-escape`).
 */
export async function resolveWorkspacePath(
  requested: string,
  options: ResolveWorkspacePathOptions,
): Promise<string> {
  const fs = options.fs ?? nodePathResolverFs;
  const relative = workspaceRelativePath(requested, options.workdir);
  const parts = relative === "" ? [] : relative.split("/");
  const missing: string[] = [];
  for (;;) {
    const candidate = posix.join(options.hostRoot, ...parts);
    try {
      const real = await fs.realpath(candidate);
      if (!inside(real, options.hostRoot)) throw escapeError(requested, "a symbolic link leads out of it");
      return missing.length === 0 ? real : posix.join(real, ...missing.reverse());
    } catch (error) {
      if (error instanceof GuardError) throw error;
      if (!isMissing(error) || parts.length === 0) throw error;
      if (await fs.isSymlink(candidate))
        throw escapeError(requested, "it goes through a symbolic link to a missing target");
      missing.push(parts.pop() as string);
    }
  }
}
