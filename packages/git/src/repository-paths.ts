import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * The top of the working tree `path` is in, found as git finds it (the nearest folder up with a
 * `.git`), so a command run from a subdirectory works on the whole repository; `path` itself,
 * resolved, when no folder up has one (the repository checks then say what is wrong).
 */
export function repositoryTop(path: string): string {
  const start = resolve(path);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/**
 * The git folder of the working tree at `top`: `top/.git`, or the folder a linked worktree's
 * (or a submodule's) `.git` file points to; null when `top` has neither.
 */
export function gitDirOf(top: string): string | null {
  const dotGit = join(top, ".git");
  const stat = statSync(dotGit, { throwIfNoEntry: false });
  if (stat === undefined) return null;
  if (stat.isDirectory()) return dotGit;
  const target = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, "utf8"))?.[1]?.trim();
  return target === undefined ? null : resolve(top, target);
}
