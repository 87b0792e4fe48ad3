import { readFileSync, readlinkSync } from "node:fs";
import { type LaunchedProcess, processLauncher } from "@longshot/core";
import { z } from "zod";
import type { SocketMount } from "../sandbox.js";
import type { HostView } from "./host-view.js";

/** `$HOME` of commands inside a local sandbox: on the sandbox's own size-limited `/tmp`. */
export const sandboxHome = "/tmp/home";

/** The parts of the host one sandbox sees on top of the host view. */
export interface SandboxMounts {
  /** The workspace, read-write at the same path. */
  readonly workdir: string;
  /** Git data the worktree needs (objects, refs, its own admin directory), read-only at the same path. */
  readonly gitReadOnly: readonly string[];
  /** Unix sockets bound read-write. */
  readonly sockets?: readonly SocketMount[];
}

/** Programs the keeper needs: bwrap and nsenter on the host, setpriv, prlimit and env inside. */
export interface KeeperPrograms {
  readonly bwrap: string;
  readonly nsenter: string;
  readonly setpriv: string;
  readonly prlimit: string;
  readonly env: string;
}

export interface KeeperOptions {
  readonly programs: KeeperPrograms;
  readonly view: HostView;
  readonly mounts: SandboxMounts | null;
  /** Network access (the host's network namespace); false unshares it, loopback included. */
  readonly network: boolean;
  /** Size of the private `/tmp` (which holds `$HOME`) and of `/dev/shm`, each. */
  readonly scratchBytes: number;
  /** PATH of the bwrap process itself. */
  readonly path: string;
}

/** Limits applied to every command entering the sandbox. */
export interface EnterLimits {
  /** RLIMIT_FSIZE: the largest file a command may write (the workspace quota is `WorkspaceQuota`). */
  readonly fileSizeBytes: number;
}

const InfoSchema = z.object({ "child-pid": z.number().int().positive() });
const namespaces = [
  ["user", "-U"],
  ["mnt", "-m"],
  ["pid", "-p"],
  ["net", "-n"],
  ["ipc", "-i"],
  ["uts", "-u"],
] as const;
/** How long the keeper may take to start before it is considered broken. */
const startTimeoutMs = 20_000;

/**
 * bubblewrap arguments of a sandbox's keeper: new pid, ipc, uts (and, unless allowed, network)
 * namespaces, every capability dropped, the host view (read-only system, curated /etc,
 * toolchain), a minimal /dev without devpts, a size-limited private `/tmp` holding `$HOME`
 * and a size-limited `/dev/shm`, the git data read-only, the workspace and the sockets
 * read-write, and everything else of the root read-only. The keeper dies with its parent, and
 * the namespace with it.
 */
export function keeperArgs(options: KeeperOptions): string[] {
  const { view, mounts } = options;
  const size = String(options.scratchBytes);
  const args = [
    "--die-with-parent",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    ...(options.network ? [] : ["--unshare-net"]),
    "--cap-drop",
    "ALL",
    "--hostname",
    "sandbox",
    ...view.systemArgs,
    "--tmpfs",
    "/dev",
    ...["null", "zero", "full", "random", "urandom"].flatMap((node) => [
      "--dev-bind",
      `/dev/${node}`,
      `/dev/${node}`,
    ]),
    "--symlink",
    "/proc/self/fd",
    "/dev/fd",
    ...["stdin", "stdout", "stderr"].flatMap((name, fd) => [
      "--symlink",
      `/proc/self/fd/${fd}`,
      `/dev/${name}`,
    ]),
    "--size",
    size,
    "--tmpfs",
    "/dev/shm",
    "--proc",
    "/proc",
    "--size",
    size,
    "--tmpfs",
    "/tmp",
    "--dir",
    sandboxHome,
    ...view.toolchain.flatMap((dir) => ["--ro-bind", dir, dir]),
  ];
  if (mounts !== null) {
    for (const dir of mounts.gitReadOnly) args.push("--ro-bind", dir, dir);
    args.push("--bind", mounts.workdir, mounts.workdir);
    for (const socket of mounts.sockets ?? []) args.push("--bind", socket.host, socket.inside);
    args.push("--chdir", mounts.workdir);
  }
  // The root itself (and the directories made for mount points in it) is read-only and holds
  // no data: only the workspace, /tmp, /dev/shm and the sockets are writable.
  args.push("--remount-ro", "/");
  args.push("--info-fd", "3", "--", "/bin/sh", "-c", "echo ready && exec sleep infinity");
  return args;
}

/**
 * The long-lived namespace of one local sandbox: a bubblewrap process that holds the mounts
 * (so `/tmp` and `$HOME` persist from one command to the next, within their size limit) while
 * each command enters it with `nsenter`, without capabilities and with no way to gain any.
 * Stopping the keeper ends the pid namespace, killing every process left in it.
 */
export class NamespaceKeeper {
  /** The namespace's init process, in this process's pid numbering. */
  readonly initPid: number;
  readonly #keeper: LaunchedProcess;
  readonly #programs: KeeperPrograms;
  readonly #enterFlags: readonly string[];
  readonly #workdir: string | null;
  #exited = false;
  readonly #exit: Promise<void>;

  /**
   * Whether the namespace has a pid namespace of its own: then stopping the keeper kills every
   * process any command left in it, and nothing of the sandbox can run on after `stop`.
   */
  get ownsProcesses(): boolean {
    return this.#enterFlags.includes("-p");
  }

  private constructor(
    keeper: LaunchedProcess,
    initPid: number,
    programs: KeeperPrograms,
    workdir: string | null,
  ) {
    this.#keeper = keeper;
    this.initPid = initPid;
    this.#programs = programs;
    this.#workdir = workdir;
    this.#enterFlags = namespaces
      .filter(([name]) => nsId(`/proc/${initPid}/ns/${name}`) !== nsId(`/proc/self/ns/${name}`))
      .map(([, flag]) => flag);
    this.#exit = keeper.ended.then(() => {
      this.#exited = true;
    });
  }

  /**
   * Starts a keeper and waits until its mounts are in place. Rejects with bubblewrap's message
   * when it cannot. bubblewrap starts from the process launcher (the spawner), so this process
   * is not forked for it; it dies with the launcher's programs when this process dies.
   */
  static start(options: KeeperOptions): Promise<NamespaceKeeper> {
    return new Promise((resolve, reject) => {
      let info = "";
      let ready = false;
      let stderr = "";
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const fail = (reason: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void keeper.kill();
        reject(new Error(reason));
      };
      const check = (): void => {
        if (settled || !ready) return;
        const parsed = safeJson(info);
        if (parsed === null) return;
        settled = true;
        clearTimeout(timer);
        // Its output is no longer read; `ended` settles when the keeper exits.
        keeper.release();
        resolve(
          new NamespaceKeeper(keeper, parsed["child-pid"], options.programs, options.mounts?.workdir ?? null),
        );
      };
      const keeper = processLauncher().launch(
        {
          argv: [options.programs.bwrap, ...keeperArgs(options)],
          cwd: "/",
          env: { PATH: options.path },
          infoPipe: true,
        },
        {
          info: (chunk) => {
            info += chunk.toString("utf8");
            check();
          },
          stdout: (chunk) => {
            if (chunk.toString("utf8").includes("ready")) ready = true;
            check();
          },
          stderr: (chunk) => {
            stderr += chunk.toString("utf8");
          },
          exit: () => fail(stderr.trim().split("\n")[0] || "bubblewrap exited while starting"),
        },
      );
      timer = setTimeout(() => fail("bubblewrap did not start within 20 s"), startTimeoutMs);
      void keeper.ended.then((end) => {
        if (end.kind === "failed") fail(end.error.message);
        else fail(stderr.trim().split("\n")[0] || "bubblewrap exited while starting");
      });
    });
  }

  /** False once the keeper (and with it the namespace) is gone. */
  get alive(): boolean {
    return !this.#exited;
  }

  /**
   * The argv that runs `argv` inside the namespace, in `cwd` (a path inside), with no
   * capabilities, no_new_privs and the limits.
   */
  enterArgv(argv: readonly string[], cwd: string, limits: EnterLimits): string[] {
    const { nsenter, setpriv, prlimit, env } = this.#programs;
    const fsize = String(limits.fileSizeBytes);
    // The keeper's own working directory is the workspace root: most commands start there
    // (`--wd` takes it), others change directory with env.
    const chdir = cwd === this.#workdir ? [] : [env, "-C", cwd, "--"];
    return [
      nsenter,
      "--target",
      String(this.initPid),
      ...this.#enterFlags,
      ...(this.#enterFlags.includes("-U") ? ["--preserve-credentials"] : []),
      "--root",
      "--wd",
      "--",
      setpriv,
      "--no-new-privs",
      "--bounding-set",
      "-all",
      "--inh-caps",
      "-all",
      "--",
      prlimit,
      `--fsize=${fsize}:${fsize}`,
      "--core=0:0",
      "--",
      ...chdir,
      ...argv,
    ];
  }

  /** Kills the keeper and waits until its namespace is gone (every process in it killed). */
  async stop(): Promise<void> {
    await this.#keeper.kill();
    await this.#exit;
    for (let tries = 0; tries < 200 && processExists(this.initPid); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

function nsId(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "";
  }
}

function safeJson(text: string): z.infer<typeof InfoSchema> | null {
  try {
    const parsed = InfoSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Whether a process still runs (a zombie waiting to be reaped does not). */
function processExists(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}
