import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Git } from "@longshot/git";

/**
 * A worktree of the orchestrator's repository that exists only while one git operation needs
 * a checkout (a revert merged with git older than 2.40). No agent code ever runs in it, and
 * `remove` unregisters it, so the repository keeps no worktree of longshot's.
 */
export class EphemeralWorktree {
  /** Where the checkout lives once `checkout` made it. */
  readonly path: string;
  readonly #git: Git;

  constructor(git: Git) {
    this.#git = git;
    this.path = join(tmpdir(), `longshot-revert-${randomBytes(5).toString("hex")}`);
  }

  /** Checks `commit` out, detached, in a fresh worktree at `path`. */
  async checkout(commit: string, signal?: AbortSignal): Promise<void> {
    await this.remove();
    await this.#git.addWorktree(this.path, { commit, ...(signal === undefined ? {} : { signal }) });
  }

  /** Unregisters and deletes the worktree, if any. Never throws. */
  async remove(): Promise<void> {
    if (!existsSync(this.path)) return;
    await this.#git.removeWorktree(this.path).catch(() => undefined);
    rmSync(this.path, { recursive: true, force: true });
    await this.#git.pruneWorktrees().catch(() => undefined);
  }
}
