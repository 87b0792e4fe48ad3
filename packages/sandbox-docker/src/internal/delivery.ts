import type { CommitOptions } from "@longshot/sandbox";
import type { CaptureCommand } from "./container-exec.js";
import type { BindMount } from "./container-options.js";

/**
 * How a task's repository reaches its container and how the work comes back: a worktree
 * bind-mounted from the host (`worktree`), or a git bundle cloned inside the container and
 * fetched back as a bundle (`bundle`, for engines that cannot see the host's disk).
 */
export interface Delivery {
  /** The workspace root as commands inside the container see it. */
  readonly workdir: string;
  /** Host directories the container needs. */
  readonly mounts: readonly BindMount[];
  /** `uid:gid` the container runs as. */
  readonly user: string;
  /** Host path freed by `release` (recorded on the container so orphans can be cleaned). */
  readonly hostPath: string;
  /** Makes the workspace ready once the container runs. */
  populate(capture: CaptureCommand, signal: AbortSignal | undefined): Promise<void>;
  /** Commits every change on the task branch; the sha, or null when nothing changed. */
  commit(capture: CaptureCommand, options: CommitOptions): Promise<string | null>;
  /** Makes the branch's last commit visible in the orchestrator's repository; returns its sha. */
  exportResult(capture: CaptureCommand, signal: AbortSignal | undefined): Promise<string>;
  /**
   * Checks out `commit` in the workspace, clean but for the `keep` patterns (see
   * `Sandbox.moveTo`); later commits build on it. Throws `SandboxError` (`move-failed`).
   */
  moveTo(
    capture: CaptureCommand,
    commit: string,
    keep: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<void>;
  /** Frees host-side resources. Idempotent; never throws for what is already gone. */
  release(): Promise<void>;
}
