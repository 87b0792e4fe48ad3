import { join } from "node:path";

/** Where a repository's run state lives. */
export function stateDirOf(repo: string): string {
  return join(repo, ".git", "longshot");
}

/** The repository's event log and projections. */
export function databaseOf(repo: string): string {
  return join(stateDirOf(repo), "longshot.db");
}
