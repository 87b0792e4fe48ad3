import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";
import { UserError } from "@longshot/core";
import { GitCommandError, ProcessGitRunner, syncClone } from "@longshot/git";

/** longshot's own workspace for remote repositories: LONGSHOT_HOME, else ~/.longshot. */
export function longshotHome(env: NodeJS.ProcessEnv): string {
  return env.LONGSHOT_HOME ?? join(homedir(), ".longshot");
}

/**
 * The local clone of GIT_REPO_URL in longshot's workspace, created on first use and brought
 * up to date with the remote's target branch afterwards. Credentials come from the user's git
 * setup (SSH agent, credential helper) and stay in this process: sandboxes get worktrees or
 * bundles, never the remote.
 */
export async function remoteWorkspace(url: string, branch: string, env: NodeJS.ProcessEnv): Promise<string> {
  const name = (url.split(/[/:]/).filter(Boolean).at(-1) ?? "repo")
    .replace(/\.git$/, "")
    .replace(/[^\w.-]/g, "_");
  const dir = join(
    longshotHome(env),
    "repos",
    `${name}-${createHash("sha256").update(url).digest("hex").slice(0, 10)}`,
  );
  try {
    await syncClone(url, dir, branch, {
      keep: [".longshot"],
      runner: new ProcessGitRunner({ environment: env }),
    });
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    const detail = error.stderr.trim().split("\n").at(-1) || error.message;
    throw new UserError(`Could not get ${url} (${detail}); check GIT_REPO_URL and your access to it.`);
  }
  return dir;
}
