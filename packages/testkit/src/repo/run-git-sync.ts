import { execFileSync } from "node:child_process";

/**
 * Runs `git <args>` in `dir` synchronously as `author` (committer too), with `dir` as home and
 * no system config; returns stdout trimmed and throws on a non-zero exit. For fixtures that
 * build a repository before anything asynchronous runs.
 */
export function runGitSync(
  dir: string,
  args: readonly string[],
  author: { readonly name: string; readonly email: string },
): string {
  return execFileSync("git", [...args], {
    cwd: dir,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
      GIT_CONFIG_NOSYSTEM: "1",
      HOME: dir,
    },
  }).trim();
}
