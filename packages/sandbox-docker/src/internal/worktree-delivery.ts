import { readFile, realpath, rm, stat } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { Git, type GitRunner } from "@longshot/git";
import { SandboxError, startTaskBranch } from "@longshot/sandbox";
import type { Delivery } from "./delivery.js";

/** Inputs of {@link prepareWorktree}. */
export interface WorktreeDeliveryOptions {
  readonly repoPath: string;
  readonly baseCommit: string;
  readonly branch: string;
  /** Where the worktree is created on the host (must not exist yet). */
  readonly hostPath: string;
  readonly runner: GitRunner;
  /** `uid:gid` for the container; the owner of the new worktree by default. */
  readonly user?: string;
  readonly signal?: AbortSignal;
}

/**
 * Adds a worktree of the orchestrator's repository on the task branch and describes the bind
 * mounts that make it work inside a container at the same path: the worktree (read-write),
 * the repository's git directory (read-only, so refs and config cannot be changed from
 * inside), and within it the object store and this worktree's own admin directory
 * (read-write, so `git status` and `git add` work). Commits are made on the host, where the
 * branch ref lives; export is then just reading the ref.
 */
export async function prepareWorktree(options: WorktreeDeliveryOptions): Promise<Delivery> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const repo = new Git(options.repoPath, { runner: options.runner });
  const common = await gitCommonDir(options.runner, options.repoPath, options.signal);
  // A retry reuses the task branch: it is moved back to this attempt's base, then checked out.
  await repo.pruneWorktrees(signal).catch(() => undefined);
  await startTaskBranch(repo, options.branch, options.baseCommit, options.signal);
  const added = await options.runner.run({
    args: ["worktree", "add", "--quiet", options.hostPath, options.branch],
    cwd: options.repoPath,
    ...signal,
  });
  if (added.exitCode !== 0) {
    throw new SandboxError(
      "create-failed",
      `Could not check out branch ${options.branch} for the container: ${added.stderr.trim()}`,
    );
  }
  const worktree = await realpath(options.hostPath);
  const adminDir = await worktreeAdminDir(worktree);
  const owner = await stat(worktree);
  const release = async (): Promise<void> => {
    await repo.removeWorktree(worktree).catch(() => undefined);
    await rm(worktree, { recursive: true, force: true });
    await repo.pruneWorktrees().catch(() => undefined);
  };
  return {
    workdir: worktree,
    hostPath: worktree,
    user: options.user ?? `${owner.uid}:${owner.gid}`,
    mounts: [
      { source: worktree, target: worktree, readOnly: false },
      { source: common, target: common, readOnly: true },
      { source: join(common, "objects"), target: join(common, "objects"), readOnly: false },
      { source: adminDir, target: adminDir, readOnly: false },
    ],
    populate: async () => undefined,
    commit: async (_capture, commit) => {
      try {
        return await repo
          .at(worktree)
          .commitAll(commit.message, commit.author, commit.signal ? { signal: commit.signal } : {});
      } catch (error) {
        if (commit.signal?.aborted) throw error;
        throw new SandboxError("commit-failed", `Could not commit the work of branch ${options.branch}.`, {
          cause: error,
        });
      }
    },
    exportResult: async (_capture, exportSignal) => {
      const sha = await repo.revParse(
        `refs/heads/${options.branch}`,
        exportSignal ? { signal: exportSignal } : {},
      );
      if (sha === null)
        throw new SandboxError("export-failed", `Branch ${options.branch} is missing from the repository.`);
      return sha;
    },
    release,
  };
}

/** The repository's common git directory (the main `.git`, also for a repository that is itself a worktree). */
async function gitCommonDir(
  runner: GitRunner,
  repoPath: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  const result = await runner.run({
    args: ["rev-parse", "--git-common-dir"],
    cwd: repoPath,
    ...(signal === undefined ? {} : { signal }),
  });
  if (result.exitCode !== 0) {
    throw new SandboxError("create-failed", `${repoPath} is not a git repository: ${result.stderr.trim()}`);
  }
  const dir = result.stdout.trim();
  return realpath(isAbsolute(dir) ? dir : resolve(repoPath, dir));
}

/** The `.git/worktrees/<name>` directory a worktree's `.git` file points to. */
export async function worktreeAdminDir(worktree: string): Promise<string> {
  const link = (await readFile(join(worktree, ".git"), "utf8")).trim();
  const match = /^gitdir: (.+)$/.exec(link);
  if (match?.[1] === undefined)
    throw new SandboxError("create-failed", `${worktree}/.git does not point to a git directory.`);
  return realpath(resolve(worktree, match[1]));
}
