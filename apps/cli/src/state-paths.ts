import { join } from "node:path";
import { gitDirOf } from "@longshot/git";

export { repositoryTop } from "@longshot/git";

/**
 * Where a repository's run state lives: `longshot` in its git folder (`.git/longshot`, or in a
 * linked worktree's own git folder, so each worktree has its runs).
 */
export function stateDirOf(repo: string): string {
  return join(gitDirOf(repo) ?? join(repo, ".git"), "longshot");
}

/** The repository's event log and projections. */
export function databaseOf(repo: string): string {
  return join(stateDirOf(repo), "longshot.db");
}
