import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { UserError } from "@longshot/core";

const run = promisify(execFile);

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
  const git = (args: string[], cwd?: string) =>
    run("git", args, { cwd, env: { ...env, GIT_TERMINAL_PROMPT: "0" } });
  try {
    if (!existsSync(join(dir, ".git"))) {
      mkdirSync(dir, { recursive: true });
      await git(["clone", "--quiet", "--branch", branch, url, dir]);
    } else {
      await git(["fetch", "--quiet", "--prune", "origin"], dir);
      await git(["checkout", "--quiet", "--force", "-B", branch, `origin/${branch}`], dir);
      await git(["clean", "-fdxq", "-e", ".longshot"], dir);
    }
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim().split("\n").at(-1) ?? String(error);
    throw new UserError(`Could not get ${url} (${detail}); check GIT_REPO_URL and your access to it.`);
  }
  return dir;
}
