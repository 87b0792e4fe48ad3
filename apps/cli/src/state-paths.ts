import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * The top of the git repository `path` is in, found as git finds it (the nearest folder up
 * with a `.git`), so longshot run from a subdirectory works on the whole repository; `path`
 * itself, resolved, when no folder up has one (the repository checks then say what is wrong).
 */
export function repositoryTop(path: string): string {
  const start = resolve(path);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/** Where a repository's run state lives. */
export function stateDirOf(repo: string): string {
  return join(repo, ".git", "longshot");
}

/** The repository's event log and projections. */
export function databaseOf(repo: string): string {
  return join(stateDirOf(repo), "longshot.db");
}
