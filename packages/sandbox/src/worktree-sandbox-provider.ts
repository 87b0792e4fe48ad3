import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { realpath } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AbortError,
  type Clock,
  type Logger,
  messageOf,
  silentLogger,
  systemClock,
  throwIfAborted,
} from "@longshot/core";
import { type GitRunner, ProcessGitRunner } from "@longshot/git";
import { probeBubblewrap } from "./internal/bubblewrap.js";
import { type CgroupSupport, probeCgroups } from "./internal/cgroup-limits.js";
import { type HostView, hostView } from "./internal/host-view.js";
import type { KeeperPrograms } from "./internal/namespace-keeper.js";
import { startOwnerWatch } from "./internal/owner-watch.js";
import { killProcessesWithEnv } from "./internal/process-tree.js";
import { SlotPool } from "./internal/slot-pool.js";
import { processAlive, repoDirFor, scanSlots } from "./internal/worktree-slot.js";
import type {
  Sandbox,
  SandboxCreateOptions,
  SandboxIsolation,
  SandboxProvider,
  SandboxWarmOptions,
  SocketMount,
} from "./sandbox.js";
import { defaultSandboxPath } from "./sandbox-env.js";
import { SandboxError } from "./sandbox-error.js";
import { sandboxProcessMarker, WorktreeSandbox } from "./worktree-sandbox.js";

export interface WorktreeSandboxProviderOptions {
  /**
   * Directory holding the worktrees. Default: `/dev/shm/longshot-sandboxes` when /dev/shm is
   * writable (tmpfs makes checkouts ~20× faster), else `<os temp dir>/longshot-sandboxes`.
   */
  readonly root?: string;
  /**
   * `true` (default): commands run isolated under bubblewrap, and `create` fails when that does
   * not work here. `false`: commands run unwrapped on the host (`SANDBOX_PROVIDER=none`, the
   * provider is then named `none`).
   */
  readonly bubblewrap?: boolean;
  readonly bubblewrapBinary?: string;
  /** More host directories commands may read (package-manager caches, a toolchain off the PATH). */
  readonly readOnlyPaths?: readonly string[];
  /**
   * Host paths no sandbox may see, nor any directory containing them, even when the PATH
   * names a toolchain there: the user's home, the user's repository, longshot's state.
   */
  readonly hiddenPaths?: readonly string[];
  /** Unix sockets bound read-write into every sandbox (the model gateway's, for instance). */
  readonly sockets?: readonly SocketMount[];
  /**
   * The node executable that runs the watcher which, unwrapped, kills sandbox commands left
   * behind should this process die; default this process's own.
   */
  readonly node?: string;
  /**
   * Hold each sandbox to `limits.cpuCores` and `limits.memoryMb` with a cgroup of its own where
   * this machine allows it (see `probeCgroups`; default true). False never tries.
   */
  readonly cgroups?: boolean;
  /** The ripgrep binary (default `rg`, used when it runs), or false for the built-in search. */
  readonly ripgrep?: string | false;
  /** Idle worktrees kept per repository and reset for the next sandbox (default 4; 0: remove on destroy). */
  readonly warmPoolSize?: number;
  /** PATH for commands, git and ripgrep; `defaultSandboxPath` by default. */
  readonly path?: string;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** How git runs; default a `ProcessGitRunner` with only PATH and LANG in its environment. */
  readonly gitRunner?: GitRunner;
}

interface Environment {
  readonly isolate: { readonly programs: KeeperPrograms; readonly view: HostView } | null;
  /** Where per-sandbox cgroups go, or null when CPU and memory are not enforced here. */
  readonly cgroups: CgroupSupport | null;
  readonly ripgrep: string | null;
  readonly shell: readonly string[];
}

/** What one live or pooled worktree is doing, for diagnostics and tests. */
export interface WorktreeSlotInfo {
  readonly workdir: string;
  readonly state: "busy" | "idle";
  readonly sandboxId: string | null;
}

const unwrappedIsolation: SandboxIsolation = {
  network: false,
  filesystem: false,
  processes: false,
  cpu: false,
  memory: false,
};
const wrappedIsolation: SandboxIsolation = {
  network: true,
  filesystem: true,
  processes: true,
  cpu: false,
  memory: false,
};

/**
 * What of the repository's git directory a worktree needs to work (read-only): the objects,
 * the refs, `packed-refs` and `shallow` when present, and its own admin directory. Config,
 * hooks, `info/`, other worktrees' metadata and longshot's state stay out of sight.
 */
async function gitDataOf(commonDir: string, adminDir: string): Promise<string[]> {
  const wanted = ["objects", "refs", "packed-refs", "shallow"].map((name) => join(commonDir, name));
  const present = wanted.filter((path) => existsSync(path));
  return [...present, adminDir];
}

function defaultRoot(): string {
  try {
    if (existsSync("/dev/shm")) return "/dev/shm/longshot-sandboxes";
  } catch {
    // Fall through to the temp dir.
  }
  return join(tmpdir(), "longshot-sandboxes");
}

/**
 * The local provider (`local`): a git worktree per sandbox, commands under bubblewrap when it
 * is usable. CPU and memory limits are enforced with a cgroup per sandbox where the machine
 * lets longshot create one (`isolation.cpu`/`memory` say whether); elsewhere use the Docker
 * provider for those. Worktrees live under a tmpfs root and are pooled.
 */
export class WorktreeSandboxProvider implements SandboxProvider {
  /** `local`, or `none` when commands run unwrapped. */
  readonly name: "local" | "none";
  readonly root: string;
  readonly #options: WorktreeSandboxProviderOptions;
  readonly #path: string;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #runner: GitRunner;
  readonly #pools = new Map<string, Promise<SlotPool>>();
  readonly #live = new Map<string, WorktreeSandbox>();
  #environment: Promise<Environment> | undefined;
  #owner: string | null = null;

  constructor(options: WorktreeSandboxProviderOptions = {}) {
    this.#options = options;
    this.name = options.bubblewrap === false ? "none" : "local";
    this.root = options.root ?? defaultRoot();
    this.#path = options.path ?? defaultSandboxPath;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger();
    this.#runner =
      options.gitRunner ?? new ProcessGitRunner({ environment: { PATH: this.#path, LANG: "C.UTF-8" } });
  }

  /** Detects the isolation, ripgrep and the shell once. Throws `SandboxError` when isolation does not work here. */
  environment(): Promise<Environment> {
    this.#environment ??= this.#detect();
    return this.#environment;
  }

  async #detect(): Promise<Environment> {
    const shell = existsSync("/bin/bash") ? ["/bin/bash", "-c"] : ["/bin/sh", "-c"];
    let isolate: Environment["isolate"] = null;
    if (this.#options.bubblewrap !== false) {
      const probe = await probeBubblewrap(this.#options.bubblewrapBinary ?? "bwrap", this.#path);
      if (!probe.ok) {
        this.#environment = undefined;
        throw new SandboxError(
          "create-failed",
          `Local sandboxes cannot be isolated here (${probe.problem}); install bubblewrap and util-linux, allow unprivileged user namespaces, choose the docker provider, or opt out with SANDBOX_PROVIDER=none.`,
        );
      }
      const view = hostView({
        path: this.#path,
        readOnly: this.#options.readOnlyPaths ?? [],
        hidden: [...(this.#options.hiddenPaths ?? []), this.root],
      });
      isolate = { programs: probe.programs, view };
      this.#logger.debug({ toolchain: view.toolchain }, "local sandboxes run isolated under bubblewrap");
    }
    const ripgrep =
      this.#options.ripgrep === false ? null : await this.#probeRipgrep(this.#options.ripgrep ?? "rg");
    // The opt-out (`none`) stays plain: no cgroups either.
    const cgroups = this.#options.cgroups === false || isolate === null ? null : await probeCgroups();
    if (cgroups !== null && !cgroups.ok) {
      this.#logger.debug({ problem: cgroups.problem }, "local sandboxes get no CPU or memory limit");
    }
    return { isolate, ripgrep, shell, cgroups: cgroups?.ok === true ? cgroups.support : null };
  }

  #probeRipgrep(binary: string): Promise<string | null> {
    return new Promise((resolve) => {
      execFile(binary, ["--version"], { env: { PATH: this.#path }, timeout: 10_000 }, (error) =>
        resolve(error === null ? binary : null),
      );
    });
  }

  #pool(realRepoPath: string): Promise<SlotPool> {
    let pool = this.#pools.get(realRepoPath);
    if (pool === undefined) {
      const created = new SlotPool({
        repoPath: realRepoPath,
        repoDir: repoDirFor(this.root, realRepoPath),
        runner: this.#runner,
        capacity: this.#options.warmPoolSize ?? 4,
      });
      pool = created.prepare().then(
        () => created,
        (error: unknown) => {
          this.#pools.delete(realRepoPath);
          throw new SandboxError(
            "create-failed",
            `${realRepoPath} is not a usable git repository: ${messageOf(error)}`,
            {
              cause: error,
            },
          );
        },
      );
      this.#pools.set(realRepoPath, pool);
    }
    return pool;
  }

  async create(options: SandboxCreateOptions): Promise<Sandbox> {
    throwIfAborted(options.signal);
    const environment = await this.environment();
    const repoPath = await realpath(options.repoPath).catch((error: unknown) => {
      throw new SandboxError("create-failed", `The repository ${options.repoPath} does not exist.`, {
        cause: error,
      });
    });
    const pool = await this.#pool(repoPath);
    const id = `local-${randomBytes(5).toString("hex")}`;
    const signal = options.signal;
    const ready = await pool
      .acquire(options.baseCommit, { sandboxId: id, pid: process.pid }, signal)
      .catch((error: unknown) => {
        if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
        throw new SandboxError(
          "create-failed",
          `Could not check out ${options.baseCommit} of ${repoPath} for task ${options.taskId}: ${messageOf(error)}`,
          { cause: error, fields: { taskId: options.taskId } },
        );
      });
    try {
      throwIfAborted(signal);
      const branchValue = await pool.git.revParse(`refs/heads/${options.branch}`);
      const sandbox = new WorktreeSandbox({
        id,
        slot: ready.slot,
        gitDir: ready.gitDir,
        workdir: await realpath(ready.slot.workdir),
        branch: options.branch,
        baseCommit: options.baseCommit,
        branchValue,
        limits: options.limits,
        env: options.env ?? {},
        isolation: {
          ...(environment.isolate === null ? unwrappedIsolation : wrappedIsolation),
          cpu: environment.cgroups !== null,
          memory: environment.cgroups !== null,
        },
        cgroups: environment.cgroups,
        isolate:
          environment.isolate === null
            ? null
            : { ...environment.isolate, sockets: this.#options.sockets ?? [] },
        owner: environment.isolate === null ? this.#ownerWatch() : null,
        gitReadOnly: await gitDataOf(pool.commonDir, ready.gitDir),
        ripgrep: environment.ripgrep,
        shell: environment.shell,
        path: this.#path,
        repoGit: pool.git,
        worktreeRunner: ready.runner,
        clock: this.#clock,
        release: async () => {
          this.#live.delete(id);
          await pool.release(ready);
        },
      });
      this.#live.set(id, sandbox);
      return sandbox;
    } catch (error) {
      await pool.release(ready);
      throw error;
    }
  }

  /**
   * Removes worktrees under the root whose sandbox id is not in `liveIds` (killing their
   * processes), and idle pooled worktrees of processes that no longer run. Returns the ids of
   * the sandboxes removed.
   */
  async cleanOrphans(
    liveIds: readonly string[],
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<readonly string[]> {
    const live = new Set(liveIds);
    const removed: string[] = [];
    const ownIdle = new Set<string>();
    for (const pool of await this.#readyPools()) {
      for (const ready of pool.idle) ownIdle.add(ready.slot.workdir);
    }
    for (const { slot, lease } of await scanSlots(this.root)) {
      throwIfAborted(options.signal);
      if (ownIdle.has(slot.workdir)) continue;
      if (lease?.state === "busy" && lease.sandboxId !== null && live.has(lease.sandboxId)) continue;
      if (lease?.state === "idle" && processAlive(lease.pid)) continue;
      const sandboxId = lease?.sandboxId ?? null;
      const mine = sandboxId === null ? undefined : this.#live.get(sandboxId);
      if (mine !== undefined) await mine.destroy();
      else {
        if (sandboxId !== null) await killProcessesWithEnv(sandboxProcessMarker, `${sandboxId}/`, "prefix");
        const pool = new SlotPool({
          repoPath: lease?.repoPath ?? slot.repoDir,
          repoDir: slot.repoDir,
          runner: this.#runner,
          capacity: 0,
        });
        await pool.remove(slot);
      }
      if (lease?.state === "busy" && sandboxId !== null) removed.push(sandboxId);
    }
    await Promise.all((await this.#readyPools()).map((pool) => pool.prune()));
    return removed;
  }

  /** Live and pooled worktrees of this provider. */
  async slots(): Promise<readonly WorktreeSlotInfo[]> {
    const infos: WorktreeSlotInfo[] = [];
    for (const sandbox of this.#live.values())
      infos.push({ workdir: sandbox.workdir, state: "busy", sandboxId: sandbox.id });
    for (const pool of await this.#readyPools()) {
      for (const ready of pool.idle)
        infos.push({ workdir: ready.slot.workdir, state: "idle", sandboxId: null });
    }
    return infos;
  }

  /**
   * Fresh idle worktrees at `baseCommit` until the repository has `count` (in use or idle, at most
   * the warm pool's size); see {@link SandboxProvider.warm}.
   */
  async warm(options: SandboxWarmOptions): Promise<number> {
    const pool = await this.#pool(await realpath(options.repoPath));
    return pool.prefill(options.baseCommit, options.count, options.signal);
  }

  async close(): Promise<void> {
    const pools = await this.#readyPools();
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  /** Unwrapped commands have no namespace dying with us: a watcher process kills them if we die. */
  #ownerWatch(): string {
    this.#owner ??= startOwnerWatch(this.#options.node ?? process.execPath, process.pid);
    return this.#owner;
  }

  async #readyPools(): Promise<SlotPool[]> {
    const settled = await Promise.allSettled(this.#pools.values());
    return settled.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
  }
}
