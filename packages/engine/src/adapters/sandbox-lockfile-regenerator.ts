import { posix } from "node:path";
import { messageOf, taskBranch } from "@longshot/core";
import type { LockfileRegeneration, LockfileRequest, RegenerateLockfiles } from "@longshot/merge-queue";
import type { Sandbox, SandboxLimits, SandboxProvider } from "@longshot/sandbox";

/** Options of {@link sandboxLockfileRegenerator}. */
export interface SandboxLockfileRegeneratorOptions {
  /** The run's sandbox provider: the install runs where the run's agents run. */
  readonly sandboxes: SandboxProvider;
  readonly repoPath: string;
  readonly runId: string;
  readonly branchPrefix: string;
  /** The run's sandbox limits; the network is always off. */
  readonly limits: SandboxLimits;
  /**
   * Variables for the package manager, such as `npm_config_cache` or `npm_config_cache_dir`
   * naming a package cache the sandbox can read. Offline, only packages in the workspace or in
   * such a cache can be resolved.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Time allowed per lockfile; default five minutes. */
  readonly timeoutMs?: number;
}

/** npm writes package-lock.json and npm-shrinkwrap.json with the same install. */
const npmLockfileInstall = [
  "npm",
  "install",
  "--package-lock-only",
  "--offline",
  "--ignore-scripts",
  "--no-audit",
  "--no-fund",
] as const;

/** The lockfile-only, offline, script-free install of each supported package manager. */
const installs: Readonly<Record<string, readonly string[]>> = {
  "pnpm-lock.yaml": [
    "pnpm",
    "install",
    "--lockfile-only",
    "--offline",
    "--ignore-scripts",
    "--config.manage-package-manager-versions=false",
  ],
  "package-lock.json": npmLockfileInstall,
  "npm-shrinkwrap.json": npmLockfileInstall,
};

const tail = (text: string): string => text.trim().split("\n").slice(-3).join(" / ").slice(0, 400);

/**
 * Regenerates lockfiles for the merge queue: checks the merged commit out in a sandbox of the
 * run's provider with no network, runs the package manager's lockfile-only install next to each
 * lockfile (pnpm and npm read the conflict markers the merge left as the two versions to
 * reconcile) and returns the files it wrote. Every way this can go wrong (an unsupported package
 * manager, a package that is not in the workspace or the reachable cache, a timeout, a sandbox
 * that cannot start) is a `failed` value, so the conflict goes back to the task. Rejects only
 * when `signal` aborts.
 */
export function sandboxLockfileRegenerator(options: SandboxLockfileRegeneratorOptions): RegenerateLockfiles {
  return async (request, signal) => {
    const unsupported = request.lockfiles.find((file) => installs[posix.basename(file)] === undefined);
    if (unsupported !== undefined) {
      return { kind: "failed", reason: `regenerating ${posix.basename(unsupported)} is not supported` };
    }
    let sandbox: Sandbox | undefined;
    try {
      sandbox = await options.sandboxes.create({
        repoPath: options.repoPath,
        baseCommit: request.commit,
        runId: options.runId,
        taskId: request.taskId,
        branch: `${taskBranch(options.branchPrefix, options.runId, request.taskId)}-lockfile`,
        limits: { ...options.limits, network: false },
        ...(options.env === undefined ? {} : { env: options.env }),
        signal,
      });
      return await regenerateIn(sandbox, request, options.timeoutMs ?? 300_000, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      return { kind: "failed", reason: `the sandbox failed: ${messageOf(error)}` };
    } finally {
      await sandbox?.destroy().catch(() => undefined);
    }
  };
}

async function regenerateIn(
  sandbox: Sandbox,
  request: LockfileRequest,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<LockfileRegeneration> {
  const files: Record<string, string> = {};
  for (const lockfile of request.lockfiles) {
    const argv = installs[posix.basename(lockfile)]!;
    const dir = posix.dirname(lockfile);
    const result = await sandbox.exec({ argv, cwd: dir, timeoutMs, signal });
    if (result.timedOut)
      return { kind: "failed", reason: `${argv[0]} took longer than ${timeoutMs / 1000} s` };
    if (result.exitCode !== 0) {
      const output = tail(`${result.stdout}\n${result.stderr}`);
      return { kind: "failed", reason: `${argv[0]} exited ${result.exitCode}: ${output}` };
    }
    files[lockfile] = await sandbox.readFile(lockfile, { signal });
  }
  return { kind: "regenerated", files };
}
