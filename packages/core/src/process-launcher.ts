/** One program to start. */
export interface LaunchRequest {
  /** The program (looked up on the environment's PATH unless it is a path) and its arguments. */
  readonly argv: readonly string[];
  /** Absolute working directory. */
  readonly cwd: string;
  /** The program's complete environment; default this process's. Undefined values are left out. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** True: standard input is a pipe fed by `write` and `end`; default it reads nothing. */
  readonly stdin?: boolean;
  /**
   * True: the program yields the CPU to this process ({@link backgroundNice}). Sandbox commands
   * (an agent's tools, a task's checks) run so, and the orchestrator's own work (landings,
   * dispatch, the dashboard) does not queue behind hundreds of them on a few cores.
   */
  readonly background?: boolean;
  /**
   * True: descriptor 3 is a pipe too, whose output reaches `LaunchListeners.info` (a program
   * that reports on a descriptor of its own, as bubblewrap's `--info-fd 3`).
   */
  readonly infoPipe?: boolean;
}

/**
 * The nice value of a background program: set on its session's scheduling group (Linux's
 * autogroup, `/proc/<pid>/autogroup`, which covers every process of the session, each program
 * leading one) and on the program itself (for kernels without autogroups). Raising it needs no
 * privilege; both are best effort, and a program that cannot be lowered still runs.
 */
export const backgroundNice = 10;

/** Callbacks of a launch, called in the order things happen; output chunks may follow `exit`. */
export interface LaunchListeners {
  readonly stdout?: (chunk: Buffer) => void;
  readonly stderr?: (chunk: Buffer) => void;
  /** Output on descriptor 3, with `infoPipe`. */
  readonly info?: (chunk: Buffer) => void;
  /** The program itself exited; processes it started may still hold its output open. */
  readonly exit?: (status: ExitStatus) => void;
}

/** How a program exited: its code, or the signal that ended it. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** How a launch ended: exited (all its output delivered, or released), or never started. */
export type LaunchEnd =
  | ({ readonly kind: "exited" } & ExitStatus)
  | {
      readonly kind: "failed";
      /** `code` is the errno name (`ENOENT` for a missing program or directory, `ESPAWNER` when the spawner died). */
      readonly error: NodeJS.ErrnoException;
    };

/** A started program. */
export interface LaunchedProcess {
  /** Settles once the program exited and its output pipes closed (or were released), or it failed to start. Never rejects. */
  readonly ended: Promise<LaunchEnd>;
  /** Writes to its standard input (needs `stdin: true`); errors from a closed pipe are ignored. */
  write(data: string | Uint8Array): void;
  /** Closes its standard input. */
  end(): void;
  /**
   * Sends `signal` (default SIGKILL) to the program's whole process group, so everything it
   * started goes too; resolves once the signal was sent. No effect after it ended.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /**
   * Stops reading its output. Once the program has exited, `ended` then settles even if a
   * process that left its group still holds the pipes open.
   */
  release(): void;
  /** Lets this process exit while the program runs (a long-lived helper idling); `ref` undoes it. */
  unref(): void;
  ref(): void;
}

/**
 * Starts programs. Every program leads a new session and process group, without a controlling
 * terminal, so `kill` reaches everything it started and it can never prompt on our terminal.
 * Implementations: {@link ChildProcessLauncher} (a child of this process) and
 * {@link SpawnerProcessLauncher} (a child of a small long-lived spawner process, so this process
 * is never forked: forking a large process blocks its event loop for milliseconds per program).
 */
export interface ProcessLauncher {
  /** Starts `request` and returns at once; a failure to start is reported through `ended`. */
  launch(request: LaunchRequest, listeners?: LaunchListeners): LaunchedProcess;
}
