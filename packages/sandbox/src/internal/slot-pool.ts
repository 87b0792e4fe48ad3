import { randomBytes } from "node:crypto";
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Git, type GitRunner } from "@longshot/git";
import { GuardedGitRunner, gitOutput } from "./guarded-git.js";
import { type Lease, resetScratch, slotAt, type WorktreeSlot, writeLease } from "./worktree-slot.js";

/** A slot with a checked-out worktree and the path of its git metadata. */
export interface ReadySlot {
  readonly slot: WorktreeSlot;
  readonly gitDir: string;
  readonly runner: GitRunner;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * The worktrees of one repository: fresh ones made with `git worktree add`, and a warm pool of
 * idle ones that are reset to a new base with a checkout touching only the files that differ.
 */
export class SlotPool {
  readonly repoPath: string;
  readonly repoDir: string;
  readonly git: Git;
  readonly #runner: GitRunner;
  readonly #idle: ReadySlot[] = [];
  readonly #capacity: number;
  #closed = false;
  #commonDir = "";
  /** Releases under way that will join the pool. */
  #joining = 0;
  /** Slots acquired (or being acquired) and not yet released. */
  #leased = 0;

  constructor(options: { repoPath: string; repoDir: string; runner: GitRunner; capacity: number }) {
    this.repoPath = options.repoPath;
    this.repoDir = options.repoDir;
    this.#runner = options.runner;
    this.#capacity = options.capacity;
    this.git = new Git(options.repoPath, { runner: new GuardedGitRunner(options.runner) });
  }

  /** The repository's common git directory (objects, refs), absolute; known after `prepare`. */
  get commonDir(): string {
    return this.#commonDir;
  }

  /** Idle slots held right now. */
  get idle(): readonly ReadySlot[] {
    return this.#idle;
  }

  /** A slot checked out clean at `base`, leased busy to `sandboxId`: from the pool when one is there. */
  async acquire(
    base: string,
    lease: Omit<Lease, "state" | "repoPath">,
    signal?: AbortSignal,
  ): Promise<ReadySlot> {
    // Counted from the start, so a warm-up running beside it does not make a slot for it too.
    this.#leased += 1;
    try {
      return await this.#take(base, lease, signal);
    } catch (error) {
      this.#leased -= 1;
      throw error;
    }
  }

  async #take(
    base: string,
    lease: Omit<Lease, "state" | "repoPath">,
    signal?: AbortSignal,
  ): Promise<ReadySlot> {
    for (let pooled = this.#idle.pop(); pooled !== undefined; pooled = this.#idle.pop()) {
      try {
        await writeLease(pooled.slot, { ...lease, state: "busy", repoPath: this.repoPath });
        await gitOutput(
          pooled.runner,
          pooled.slot.workdir,
          ["checkout", "--detach", "--force", "--quiet", base],
          {
            reason: "create-failed",
            signal,
          },
        );
        return pooled;
      } catch (error) {
        await this.remove(pooled.slot);
        if (!(await this.git.resolveCommit(base))) throw error;
      }
    }
    return this.#fresh(base, lease, signal);
  }

  /**
   * Adds fresh idle slots checked out at `base`, one at a time, while the pool's slots, idle and
   * in use together, are fewer than `count` (at most its capacity): ahead of demand, never
   * beside it (slots made on demand meanwhile count, and one taken is not replaced). Stops at
   * the first failure, when `signal` aborts or the pool closes. Resolves with how many it added.
   */
  async prefill(base: string, count: number, signal?: AbortSignal): Promise<number> {
    let added = 0;
    const target = Math.min(count, this.#capacity);
    const fewer = (): boolean => this.#idle.length + this.#joining + this.#leased < target;
    while (fewer() && !this.#closed && signal?.aborted !== true) {
      this.#joining += 1;
      let ready: ReadySlot | null = null;
      try {
        ready = await this.#fresh(base, { sandboxId: null, pid: process.pid }, signal);
        await writeLease(ready.slot, {
          state: "idle",
          sandboxId: null,
          pid: process.pid,
          repoPath: this.repoPath,
        });
      } catch {
        if (ready !== null) await this.remove(ready.slot);
        ready = null;
      } finally {
        this.#joining -= 1;
      }
      if (ready === null) break;
      if (this.#closed) {
        await this.remove(ready.slot);
        break;
      }
      this.#idle.push(ready);
      added += 1;
    }
    return added;
  }

  async #fresh(
    base: string,
    lease: Omit<Lease, "state" | "repoPath">,
    signal?: AbortSignal,
  ): Promise<ReadySlot> {
    const slot = slotAt(this.repoDir, `ls-${randomBytes(4).toString("hex")}`);
    await writeLease(slot, { ...lease, state: "busy", repoPath: this.repoPath });
    try {
      await resetScratch(slot);
      await this.git.addWorktree(slot.workdir, { commit: base, ...(signal === undefined ? {} : { signal }) });
      const gitDir = (
        await gitOutput(this.#guarded(), slot.workdir, ["rev-parse", "--absolute-git-dir"], {
          reason: "create-failed",
        })
      ).stdout.trim();
      const runner = new GuardedGitRunner(this.#runner, { gitDir, workTree: slot.workdir });
      return { slot, gitDir, runner };
    } catch (error) {
      await this.remove(slot);
      throw error;
    }
  }

  #guarded(): GitRunner {
    return new GuardedGitRunner(this.#runner);
  }

  /**
   * Takes a slot back after its sandbox ended: cleaned (tracked files restored, untracked and
   * ignored files removed, scratch emptied) into the pool while there is room, removed
   * otherwise. A slot whose directory is already gone is forgotten.
   */
  async release(ready: ReadySlot): Promise<void> {
    this.#leased = Math.max(0, this.#leased - 1);
    const { slot } = ready;
    if (!(await exists(slot.workdir))) {
      await rm(slot.dataDir, { recursive: true, force: true });
      return;
    }
    if (this.#closed || this.#idle.length + this.#joining >= this.#capacity) {
      await this.remove(slot);
      return;
    }
    this.#joining += 1;
    try {
      // The workspace's .git file was writable inside the sandbox: point it home again.
      await rm(join(slot.workdir, ".git"), { recursive: true, force: true });
      await writeFile(join(slot.workdir, ".git"), `gitdir: ${ready.gitDir}\n`);
      await gitOutput(ready.runner, slot.workdir, ["reset", "--hard", "--quiet"], { reason: "exec-failed" });
      await gitOutput(ready.runner, slot.workdir, ["clean", "-ffdxq"], { reason: "exec-failed" });
      await resetScratch(slot);
      await writeLease(slot, { state: "idle", sandboxId: null, pid: process.pid, repoPath: this.repoPath });
      this.#joining -= 1;
      if (this.#closed) await this.remove(slot);
      else this.#idle.push(ready);
    } catch {
      this.#joining -= 1;
      await this.remove(slot);
    }
  }

  /** Removes a slot's worktree (registration included) and its data directory. Never throws. */
  async remove(slot: WorktreeSlot): Promise<void> {
    // The files first, in parallel with other work; then the registration, which takes turns
    // with the repository's other registration changes (see Git.addWorktree).
    await rm(slot.workdir, { recursive: true, force: true });
    await rm(slot.dataDir, { recursive: true, force: true });
    const registered = await this.git.removeWorktree(slot.workdir).then(
      () => true,
      () => false,
    );
    if (!registered) await this.prune();
  }

  /** Forgets worktrees whose directories are gone. Never throws. */
  async prune(): Promise<void> {
    await this.git.pruneWorktrees().catch(() => undefined);
  }

  /** Creates the repository's slot directory and forgets worktrees whose directories vanished (a wiped tmpfs). */
  async prepare(): Promise<void> {
    const common = await gitOutput(
      this.#guarded(),
      this.repoPath,
      ["rev-parse", "--path-format=absolute", "--git-common-dir"],
      {
        reason: "create-failed",
      },
    );
    this.#commonDir = common.stdout.trim();
    await mkdir(this.repoDir, { recursive: true });
    await this.prune();
  }

  /** Removes every idle slot; later releases remove their slots instead of pooling them. */
  async close(): Promise<void> {
    this.#closed = true;
    const idle = this.#idle.splice(0);
    await Promise.all(idle.map((ready) => this.remove(ready.slot)));
  }
}
