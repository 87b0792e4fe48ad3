import { existsSync } from "node:fs";
import { readFile, realpath, rm, stat, writeFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { Git, GitCommandError, type GitRunner } from "@longshot/git";
import { GuardedGitRunner, SandboxError, startTaskBranch } from "@longshot/sandbox";
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
 * mounts that make it work inside a container at the same path: the worktree (read-write) and,
 * read-only, only the git data it needs (objects, refs, `packed-refs`, `shallow` and its own
 * admin directory): nothing of the config, hooks or other worktrees, and nothing the container
 * could write for the orchestrator's git to run later. Commits and moves are made on the host
 * with git pointed explicitly at the admin directory (a `.git` file rewritten inside the
 * container cannot redirect it), where the branch ref lives; export is then just reading the ref.
 */
export async function prepareWorktree(options: WorktreeDeliveryOptions): Promise<Delivery> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const repo = new Git(options.repoPath, { runner: options.runner });
  const common = await gitCommonDir(options.runner, options.repoPath, options.signal);
  // A retry reuses the task branch: it is moved back to this attempt's base, then checked out.
  await repo.pruneWorktrees(signal).catch(() => undefined);
  await startTaskBranch(repo, options.branch, options.baseCommit, options.signal);
  await repo
    .addWorktree(options.hostPath, { commit: options.baseCommit, onBranch: options.branch, ...signal })
    .catch((error: unknown) => {
      const detail = error instanceof GitCommandError ? error.stderr.trim() : String(error);
      throw new SandboxError(
        "create-failed",
        `Could not check out branch ${options.branch} for the container: ${detail}`,
      );
    });
  const worktree = await realpath(options.hostPath);
  const adminDir = await worktreeAdminDir(worktree);
  const owner = await stat(worktree);
  const hostRunner = new GuardedGitRunner(options.runner, { gitDir: adminDir, workTree: worktree });
  const hostGit = new Git(worktree, { runner: hostRunner });
  const gitData = ["objects", "refs", "packed-refs", "shallow"]
    .map((name) => join(common, name))
    .filter((path) => existsSync(path));
  const release = async (): Promise<void> => {
    // The files first (outside the repository's turn for registration changes), then the registration.
    await rm(worktree, { recursive: true, force: true });
    await repo.removeWorktree(worktree).catch(() => repo.pruneWorktrees().catch(() => undefined));
  };
  return {
    workdir: worktree,
    hostPath: worktree,
    user: options.user ?? `${owner.uid}:${owner.gid}`,
    mounts: [
      { source: worktree, target: worktree, readOnly: false },
      ...gitData.map((path) => ({ source: path, target: path, readOnly: true })),
      { source: adminDir, target: adminDir, readOnly: true },
    ],
    populate: async () => undefined,
    commit: async (_capture, commit) => {
      try {
        return await hostGit.commitAll(
          commit.message,
          commit.author,
          commit.signal ? { signal: commit.signal } : {},
        );
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
    moveTo: async (_capture, commit, keep, moveSignal) => {
      const run = async (args: readonly string[]): Promise<void> => {
        const result = await hostRunner.run({
          args,
          cwd: worktree,
          ...(moveSignal === undefined ? {} : { signal: moveSignal }),
        });
        if (result.exitCode !== 0) {
          throw new SandboxError(
            "move-failed",
            `Could not move the workspace to ${commit}: ${result.stderr.trim()}`,
          );
        }
      };
      // The container could rewrite the workspace's .git file: point it home again.
      await rm(join(worktree, ".git"), { recursive: true, force: true });
      await writeFile(join(worktree, ".git"), `gitdir: ${adminDir}\n`);
      await run(["checkout", "--force", "--quiet", "-B", options.branch, commit]);
      await run(["clean", "-ffdxq", ...keep.flatMap((pattern) => ["-e", pattern])]);
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
