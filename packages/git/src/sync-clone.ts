import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { GitOperationOptions } from "./git-runner.js";
import { runChecked } from "./internal/run-checked.js";
import { ProcessGitRunner } from "./process-git-runner.js";

/** Options of {@link syncClone}. */
export interface SyncCloneOptions extends GitOperationOptions {
  /** Untracked paths (patterns, as `git clean -e` takes them) an update leaves in place. */
  readonly keep?: readonly string[];
}

/**
 * Makes `dir` a clone of `url` with the local branch `branch` checked out at the tip of the
 * remote's `branch`. The first time (no `dir/.git` yet) it clones; afterwards it fetches from
 * `origin` (pruning branches the remote deleted), resets `branch` and the files to
 * `origin/<branch>`, discarding local changes, and removes untracked and ignored files except
 * `keep`. Credentials are the user's git setup (an ssh agent, a credential helper); git never
 * prompts. Throws `GitCommandError` when git fails (an unreachable remote, a missing branch) and
 * `AbortError` when the signal fires.
 */
export async function syncClone(
  url: string,
  dir: string,
  branch: string,
  options: SyncCloneOptions = {},
): Promise<void> {
  const run = (args: readonly string[]) =>
    runChecked(options.runner ?? new ProcessGitRunner(), dir, args, {
      env: { GIT_TERMINAL_PROMPT: "0" },
      signal: options.signal,
    });
  if (!existsSync(join(dir, ".git"))) {
    await mkdir(dir, { recursive: true });
    await run(["clone", "--quiet", "--branch", branch, "--", url, "."]);
    return;
  }
  await run(["fetch", "--quiet", "--prune", "origin"]);
  await run(["checkout", "--quiet", "--force", "-B", branch, `refs/remotes/origin/${branch}`, "--"]);
  await run(["clean", "-fdxq", ...(options.keep ?? []).flatMap((path) => ["-e", path]), "--"]);
}
