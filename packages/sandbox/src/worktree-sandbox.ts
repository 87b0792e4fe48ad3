import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AbortError, type Clock, throwIfAborted } from "@longshot/core";
import type { Git, GitRunner } from "@longshot/git";
import { guardCommand } from "./command-guard.js";
import { type CgroupSupport, SandboxCgroup } from "./internal/cgroup-limits.js";
import { gitOutput } from "./internal/guarded-git.js";
import type { HostView } from "./internal/host-view.js";
import { watchLifetime } from "./internal/lifetime-watch.js";
import {
  listDirectory,
  listTree,
  readHostFile,
  requireDirectory,
  sliceLines,
  writeHostFile,
} from "./internal/local-files.js";
import { type LocalSearchRequest, searchWithFallback, searchWithRipgrep } from "./internal/local-search.js";
import { type KeeperPrograms, NamespaceKeeper, sandboxHome } from "./internal/namespace-keeper.js";
import { ownerMarker } from "./internal/owner-watch.js";
import { killDescendantsWithEnv, killProcessesWithEnv, runProcessTree } from "./internal/process-tree.js";
import { checkoutBytes, WorkspaceQuota } from "./internal/workspace-quota.js";
import type { WorktreeSlot } from "./internal/worktree-slot.js";
import { resolveWorkspacePath } from "./path-guard.js";
import { defaultMaxSearchResults } from "./ripgrep.js";
import {
  type CommitOptions,
  defaultDiskMb,
  defaultExecTimeoutMs,
  defaultMaxOutputBytes,
  type ExecOptions,
  type ExecResult,
  type FileList,
  type ListFilesOptions,
  type MoveOptions,
  type ReadFileOptions,
  type Sandbox,
  type SandboxIsolation,
  type SandboxLimits,
  type SearchOptions,
  type SearchResult,
  type SocketMount,
} from "./sandbox.js";
import { sandboxEnv } from "./sandbox-env.js";
import { destroyedError, SandboxError, type SandboxErrorReason } from "./sandbox-error.js";

/** Variable set on every process of a local sandbox (`<sandbox id>/<exec number>`), so stray processes can be found and killed. */
export const sandboxProcessMarker = "LONGSHOT_SANDBOX";

type GoneReason = "destroyed" | "idle-timeout" | "wall-timeout";

/** Everything a `WorktreeSandbox` needs from its provider. */
export interface WorktreeSandboxContext {
  readonly id: string;
  readonly slot: WorktreeSlot;
  /** The worktree's git admin directory (`<common>/worktrees/<name>`). */
  readonly gitDir: string;
  /** Canonical workspace path, the same inside bubblewrap and out. */
  readonly workdir: string;
  readonly branch: string;
  readonly baseCommit: string;
  /** What `refs/heads/<branch>` pointed at when the sandbox was created (null: absent). */
  readonly branchValue: string | null;
  readonly limits: SandboxLimits;
  readonly env: Readonly<Record<string, string>>;
  readonly isolation: SandboxIsolation;
  /** Git data the worktree needs (objects, refs, its admin directory), read-only inside. */
  readonly gitReadOnly: readonly string[];
  /** How commands are isolated, or null to run them unwrapped (`SANDBOX_PROVIDER=none`). */
  readonly isolate: {
    readonly programs: KeeperPrograms;
    readonly view: HostView;
    readonly sockets: readonly SocketMount[];
  } | null;
  /** Where the sandbox's cgroup goes (CPU and memory limits), or null when not enforced here. */
  readonly cgroups: CgroupSupport | null;
  /** Unwrapped: the owner id (see `startOwnerWatch`) every command carries; null when isolated. */
  readonly owner: string | null;
  readonly ripgrep: string | null;
  readonly shell: readonly string[];
  readonly path: string;
  readonly repoGit: Git;
  readonly worktreeRunner: GitRunner;
  readonly clock: Clock;
  /** Gives the slot back to the provider (reset into the pool, or removed). */
  readonly release: () => Promise<void>;
}

/**
 * A sandbox on a git worktree of the orchestrator's repository. Commands run under bubblewrap
 * when the provider found it usable; files, search and commits are handled from the
 * orchestrator's side through the path guard and hardened git.
 */
export class WorktreeSandbox implements Sandbox {
  readonly id: string;
  readonly provider: string;
  readonly workdir: string;
  readonly branch: string;
  readonly isolation: SandboxIsolation;
  readonly #context: WorktreeSandboxContext;
  #base: string;
  #gone: GoneReason | null = null;
  #teardown: Promise<void> | undefined;
  readonly #running = new Map<AbortController, Promise<unknown>>();
  readonly #lifetime = new AbortController();
  #lastActiveAt: number;
  #execCount = 0;
  #head: string;
  #branchValue: string | null;
  #gitQueue: Promise<unknown> = Promise.resolve();
  #keeper: Promise<NamespaceKeeper> | null = null;
  #cgroup: Promise<SandboxCgroup> | null = null;
  /** SANDBOX_DISK_MB in bytes: the size of /tmp, the largest file, and the workspace quota. */
  readonly #diskBytes: number;
  readonly #quota: WorkspaceQuota;

  constructor(context: WorktreeSandboxContext) {
    this.#context = context;
    this.id = context.id;
    this.provider = context.isolate === null ? "none" : "local";
    this.workdir = context.workdir;
    this.branch = context.branch;
    this.#base = context.baseCommit;
    this.isolation = context.isolation;
    this.#head = context.baseCommit;
    this.#branchValue = context.branchValue;
    this.#lastActiveAt = context.clock.now();
    this.#diskBytes = (context.limits.diskMb ?? defaultDiskMb) * 1_048_576;
    // A fresh checkout's size comes from the tree (one git command, and only if ever needed),
    // not from walking its thousands of files at every sandbox's start.
    this.#quota = new WorkspaceQuota(context.workdir, this.#diskBytes, undefined, async () => {
      const tree = await gitOutput(
        context.worktreeRunner,
        context.workdir,
        ["ls-tree", "-r", "-l", "-z", context.baseCommit],
        {
          reason: "exec-failed",
        },
      );
      return checkoutBytes(context.workdir, tree.stdout);
    });
    // The namespace starts now, while the agent's first model call is still on its way.
    if (context.isolate !== null) this.#keeperFor().catch(() => undefined);
    watchLifetime({
      clock: context.clock,
      createdAt: this.#lastActiveAt,
      wallTimeoutMs: context.limits.wallTimeoutMs,
      idleTimeoutMs: context.limits.idleTimeoutMs,
      activity: () => ({ lastActiveAt: this.#lastActiveAt, busy: this.#running.size > 0 }),
      expire: (reason) => {
        this.#teardown ??= this.#tearDown(reason).catch(() => undefined);
      },
      signal: this.#lifetime.signal,
    }).catch(() => undefined);
  }

  get baseCommit(): string {
    return this.#base;
  }

  /** True while the sandbox accepts operations. */
  get live(): boolean {
    return this.#gone === null;
  }

  #assertLive(): void {
    if (this.#gone !== null) throw destroyedError(this.id, this.#gone);
  }

  #resolve(path: string): Promise<string> {
    return resolveWorkspacePath(path, { hostRoot: this.workdir, workdir: this.workdir });
  }

  async exec(options: ExecOptions): Promise<ExecResult> {
    this.#assertLive();
    throwIfAborted(options.signal);
    const argv = this.#argvOf(options);
    guardCommand(options.command ?? argv, { network: this.#context.limits.network });
    const cwd = await this.#resolve(options.cwd ?? "");
    await requireDirectory(cwd, options.cwd ?? "");
    this.#assertLive();
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const run = this.#run(argv, cwd, options, stop.signal);
    this.#running.set(stop, run);
    this.#lastActiveAt = this.#context.clock.now();
    try {
      const result = await run;
      if (this.#gone !== null) {
        // Report the end only once the teardown (processes, worktree) is complete.
        await this.#teardown;
        throw destroyedError(this.id, this.#gone);
      }
      if (options.signal?.aborted) {
        throw new AbortError("The command was cancelled and its processes were killed.", {
          cause: options.signal.reason,
        });
      }
      return result;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      this.#running.delete(stop);
      this.#lastActiveAt = this.#context.clock.now();
    }
  }

  #argvOf(options: ExecOptions): readonly string[] {
    if ((options.command === undefined) === (options.argv === undefined)) {
      throw new SandboxError("exec-failed", "Give exactly one of command and argv to exec.");
    }
    if (options.argv !== undefined) {
      if (options.argv.length === 0) throw new SandboxError("exec-failed", "exec argv must name a program.");
      return options.argv;
    }
    return [...this.#context.shell, options.command ?? ""];
  }

  async #run(
    argv: readonly string[],
    cwd: string,
    options: ExecOptions,
    stop: AbortSignal,
  ): Promise<ExecResult> {
    const context = this.#context;
    this.#execCount += 1;
    const marker = `${this.id}/${this.#execCount}`;
    const isolated = context.isolate !== null;
    const env = sandboxEnv(
      {
        home: isolated ? sandboxHome : context.slot.home,
        tmpdir: isolated ? "/tmp" : context.slot.tmp,
        path: context.path,
      },
      context.env,
      options.env,
      { [sandboxProcessMarker]: marker, ...(context.owner === null ? {} : { [ownerMarker]: context.owner }) },
    );
    const [keeper, cgroup] = await Promise.all([
      isolated ? this.#keeperFor() : null,
      this.#cgroupFor(),
      this.#quota.ready(),
    ]);
    const entered = keeper === null ? argv : keeper.enterArgv(argv, cwd, { fileSizeBytes: this.#diskBytes });
    const wrapped = cgroup === null ? entered : cgroup.entryArgv(entered);
    // The workspace's disk quota: a command that fills it is stopped, one that filled it fails.
    let overQuota: string | null = null;
    const quotaStop = new AbortController();
    const unwatch = this.#quota.watch((message) => {
      overQuota = message;
      quotaStop.abort();
    });
    const result = await runProcessTree({
      argv: wrapped,
      cwd,
      env,
      timeoutMs: options.timeoutMs ?? defaultExecTimeoutMs,
      maxOutputBytes: options.maxOutputBytes ?? defaultMaxOutputBytes,
      onStdout: options.onStdout,
      onStderr: options.onStderr,
      stop: AbortSignal.any([stop, quotaStop.signal]),
      now: () => context.clock.now(),
    }).finally(unwatch);
    // A process that left the command's group (setsid, a daemon) is found by its marker: below
    // the namespace's init when isolated, anywhere on the machine when not.
    if (keeper === null) await killProcessesWithEnv(sandboxProcessMarker, marker);
    else await killDescendantsWithEnv(keeper.initPid, sandboxProcessMarker, marker);
    const { stopped: _stopped, ...rest } = result;
    overQuota ??= await this.#quota.check();
    if (overQuota === null) return rest;
    return {
      ...rest,
      exitCode: rest.exitCode === 0 ? 1 : rest.exitCode,
      stderr: `${rest.stderr}${rest.stderr === "" || rest.stderr.endsWith("\n") ? "" : "\n"}${overQuota}\n`,
    };
  }

  /** The sandbox's cgroup (CPU and memory limits), made on the first command; null when not enforced. */
  #cgroupFor(): Promise<SandboxCgroup | null> {
    const support = this.#context.cgroups;
    if (support === null) return Promise.resolve(null);
    this.#cgroup ??= SandboxCgroup.create(support, this.id, this.#context.limits).catch((error: unknown) => {
      this.#cgroup = null;
      throw new SandboxError(
        "exec-failed",
        `The sandbox's CPU and memory limits could not be set up: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    });
    return this.#cgroup;
  }

  /** The sandbox's namespace, started on the first command (and again should it have died). */
  async #keeperFor(): Promise<NamespaceKeeper> {
    const current = this.#keeper === null ? null : await this.#keeper.catch(() => null);
    if (current?.alive) return current;
    const context = this.#context;
    const isolate = context.isolate!;
    this.#keeper = NamespaceKeeper.start({
      programs: isolate.programs,
      view: isolate.view,
      mounts: { workdir: this.workdir, gitReadOnly: context.gitReadOnly, sockets: isolate.sockets },
      network: context.limits.network,
      scratchBytes: this.#diskBytes,
      path: context.path,
    }).catch((error: unknown) => {
      throw new SandboxError(
        "exec-failed",
        `The sandbox's isolation could not be set up: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    });
    return this.#keeper;
  }

  async readFile(path: string, options: ReadFileOptions = {}): Promise<string> {
    this.#assertLive();
    throwIfAborted(options.signal);
    const text = await readHostFile(await this.#resolve(path), path);
    this.#assertLive();
    return sliceLines(text, options.startLine, options.endLine);
  }

  async writeFile(
    path: string,
    content: string | Uint8Array,
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<void> {
    this.#assertLive();
    throwIfAborted(options.signal);
    const target = await this.#resolve(path);
    this.#assertLive();
    await writeHostFile(target, content, path);
  }

  async listFiles(dir = "", options: ListFilesOptions = {}): Promise<FileList> {
    this.#assertLive();
    throwIfAborted(options.signal);
    const target = await this.#resolve(dir);
    const limit = options.limit ?? 1000;
    const list =
      options.recursive === true
        ? await listTree(this.#context.worktreeRunner, this.workdir, target, dir, {
            limit,
            signal: options.signal,
          })
        : await listDirectory(this.workdir, target, dir, limit);
    this.#assertLive();
    return list;
  }

  async search(pattern: string, options: SearchOptions = {}): Promise<SearchResult> {
    this.#assertLive();
    throwIfAborted(options.signal);
    const target = await this.#resolve(options.path ?? "");
    const relative = target === this.workdir ? "" : target.slice(this.workdir.length + 1);
    const request: LocalSearchRequest = {
      root: this.workdir,
      target: relative,
      pattern,
      options,
      maxResults: options.maxResults ?? defaultMaxSearchResults,
      env: { PATH: this.#context.path, LANG: "C.UTF-8" },
    };
    const ripgrep = this.#context.ripgrep;
    const result =
      ripgrep === null
        ? await searchWithFallback(this.#context.worktreeRunner, request, options.signal)
        : await searchWithRipgrep(ripgrep, request, options.signal);
    throwIfAborted(options.signal);
    this.#assertLive();
    return result;
  }

  commit(options: CommitOptions): Promise<string | null> {
    return this.#serialized(async () => {
      const git = this.#workspaceGit("commit-failed", options.signal);
      const overQuota = await this.#quota.check();
      if (overQuota !== null) throw new SandboxError("commit-failed", overQuota);
      await git(["add", "--all"]);
      const tree = (await git(["write-tree"])).stdout.trim();
      const headTree = (await git(["rev-parse", `${this.#head}^{tree}`])).stdout.trim();
      if (tree === headTree) return null;
      const sha = await this.#context.repoGit.commitTree(
        tree,
        [this.#head],
        options.message,
        options.author,
        {
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        },
      );
      await this.#moveBranch(sha, options.signal);
      await git(["update-ref", "--no-deref", "-m", "longshot commit", "HEAD", sha, this.#head]);
      this.#head = sha;
      return sha;
    });
  }

  exportResult(options: { readonly signal?: AbortSignal } = {}): Promise<string> {
    return this.#serialized(async () => {
      this.#assertLive();
      if (this.#branchValue !== this.#head) await this.#moveBranch(this.#head, options.signal);
      return this.#head;
    });
  }

  moveTo(commit: string, options: MoveOptions = {}): Promise<void> {
    return this.#serialized(async () => {
      const git = this.#workspaceGit("move-failed", options.signal);
      // The workspace's .git file was writable inside the sandbox: point it home again.
      await rm(join(this.workdir, ".git"), { recursive: true, force: true });
      await writeFile(join(this.workdir, ".git"), `gitdir: ${this.#context.gitDir}\n`);
      await git(["checkout", "--detach", "--force", "--quiet", commit]);
      await git(["clean", "-ffdxq", ...(options.keep ?? []).flatMap((pattern) => ["-e", pattern])]);
      this.#head = commit;
      this.#base = commit;
      this.#quota.rebase();
    });
  }

  /**
   * Git in the live workspace, for an operation that fails as `reason`; throws at once when the
   * sandbox is gone or `signal` has aborted.
   */
  #workspaceGit(reason: SandboxErrorReason, signal: AbortSignal | undefined) {
    this.#assertLive();
    throwIfAborted(signal);
    const runner = this.#context.worktreeRunner;
    return (args: readonly string[]) => gitOutput(runner, this.workdir, args, { reason, signal });
  }

  async #moveBranch(sha: string, signal: AbortSignal | undefined): Promise<void> {
    const ref = `refs/heads/${this.branch}`;
    const outcome = await this.#context.repoGit.updateRef(ref, sha, this.#branchValue, {
      message: `longshot sandbox ${this.id}`,
      ...(signal === undefined ? {} : { signal }),
    });
    if (!outcome.ok) {
      throw new SandboxError(
        "commit-failed",
        `Branch ${this.branch} was moved by someone else (now at ${outcome.actual ?? "nothing"}); the commit was not recorded on it.`,
        { fields: { branch: this.branch, actual: outcome.actual } },
      );
    }
    this.#branchValue = sha;
  }

  #serialized<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#gitQueue.then(task, task);
    this.#gitQueue = next.catch(() => undefined);
    return next;
  }

  destroy(): Promise<void> {
    this.#teardown ??= this.#tearDown("destroyed");
    return this.#teardown;
  }

  async #tearDown(reason: GoneReason): Promise<void> {
    this.#gone ??= reason;
    this.#lifetime.abort();
    for (const stop of this.#running.keys()) stop.abort();
    await Promise.allSettled([...this.#running.values()]);
    const keeper = this.#keeper === null ? null : await this.#keeper.catch(() => null);
    await keeper?.stop();
    // The end of its own pid namespace killed whatever was left in it; only an unwrapped
    // sandbox's daemons have to be searched for among every process of the machine.
    if (keeper === null || !keeper.ownsProcesses) {
      await killProcessesWithEnv(sandboxProcessMarker, `${this.id}/`, "prefix");
    }
    const cgroup = this.#cgroup === null ? null : await this.#cgroup.catch(() => null);
    await cgroup?.remove();
    await this.#gitQueue;
    await this.#context.release();
  }
}
