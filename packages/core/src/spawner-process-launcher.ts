import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { spawnerSource } from "./internal/spawner-program.js";
import {
  backgroundNice,
  type ExitStatus,
  type LaunchEnd,
  type LaunchedProcess,
  type LaunchListeners,
  type LaunchRequest,
  type ProcessLauncher,
} from "./process-launcher.js";

interface Launch {
  readonly listeners: LaunchListeners;
  readonly settle: (end: LaunchEnd) => void;
  readonly killed: (() => void)[];
  exit: ExitStatus | null;
  released: boolean;
  /** Counted in the spawner's references (keeps this process alive). */
  referenced: boolean;
}

interface Spawner {
  readonly child: ChildProcess;
  readonly launches: Map<number, Launch>;
  /** Launches that keep this process alive. */
  references: number;
}

/** Options of {@link SpawnerProcessLauncher}. */
export interface SpawnerProcessLauncherOptions {
  /** The Node executable the spawner runs on; default this one. */
  readonly node?: string;
}

/**
 * Starts programs from a small long-lived spawner process (`node -e`, started on first use),
 * over its IPC channel: this process never forks, so a launch costs it a message instead of a
 * fork of its whole memory on the event loop, and output streams back as messages.
 *
 * The spawner leads its own process group (a Ctrl-C on the terminal reaches only this process)
 * and dies with this one: when the channel closes, it kills every process group it started and
 * exits, so a killed orchestrator leaves no programs behind. If the spawner itself dies, the
 * launches in flight end `failed` (errno `ESPAWNER`) and the next launch starts a new one. An
 * idle spawner does not keep this process alive.
 */
export class SpawnerProcessLauncher implements ProcessLauncher {
  readonly #node: string;
  #spawner: Spawner | undefined;
  #nextId = 1;

  constructor(options: SpawnerProcessLauncherOptions = {}) {
    this.#node = options.node ?? process.execPath;
  }

  /** The spawner's process id, once started (for diagnostics and tests). */
  get pid(): number | undefined {
    return this.#spawner?.child.pid;
  }

  launch(request: LaunchRequest, listeners: LaunchListeners = {}): LaunchedProcess {
    const spawner = this.#ensure();
    const id = this.#nextId++;
    let settle: (end: LaunchEnd) => void = () => {};
    const ended = new Promise<LaunchEnd>((resolve) => {
      settle = resolve;
    });
    const launch: Launch = { listeners, settle, killed: [], exit: null, released: false, referenced: false };
    spawner.launches.set(id, launch);
    this.#reference(spawner, launch, true);
    // Node's own default environment is this process's.
    const env = request.env ?? process.env;
    send(spawner, [
      "launch",
      id,
      request.argv,
      resolve(request.cwd),
      env,
      request.stdin === true,
      request.background === true ? backgroundNice : 0,
      request.infoPipe === true,
    ]);
    const live = (): boolean => this.#spawner === spawner && spawner.launches.has(id);
    return {
      ended,
      write: (data) => {
        if (live()) send(spawner, ["write", id, data]);
      },
      end: () => {
        if (live()) send(spawner, ["end", id]);
      },
      kill: (signal = "SIGKILL") => {
        if (!live()) return Promise.resolve();
        return new Promise<void>((resolve) => {
          launch.killed.push(resolve);
          send(spawner, ["kill", id, signal]);
        });
      },
      release: () => {
        if (!live() || launch.released) return;
        launch.released = true;
        send(spawner, ["release", id]);
        if (launch.exit !== null) this.#finish(spawner, id, { kind: "exited", ...launch.exit });
      },
      unref: () => this.#reference(spawner, launch, false),
      ref: () => {
        if (live()) this.#reference(spawner, launch, true);
      },
    };
  }

  #ensure(): Spawner {
    if (this.#spawner !== undefined) return this.#spawner;
    const child = spawn(this.#node, ["-e", spawnerSource], {
      // Its own process group: terminal signals are for this process, which stops cleanly.
      detached: true,
      env: {},
      stdio: ["ignore", "ignore", "ignore", "ipc"],
      serialization: "advanced",
    });
    const spawner: Spawner = { child, launches: new Map(), references: 0 };
    this.#spawner = spawner;
    child.on("message", (message) => this.#receive(spawner, message as [string, number, ...unknown[]]));
    const gone = (why: string): void => {
      if (this.#spawner === spawner) this.#spawner = undefined;
      const error: NodeJS.ErrnoException = new Error(
        `The process spawner ${why}; the program's fate is unknown.`,
      );
      error.code = "ESPAWNER";
      for (const id of [...spawner.launches.keys()]) this.#finish(spawner, id, { kind: "failed", error });
    };
    child.on("error", (error) => gone(`could not run: ${error.message}`));
    child.on("exit", (code, signal) => gone(`exited (${signal ?? `code ${String(code)}`})`));
    child.unref();
    child.channel?.unref();
    return spawner;
  }

  #receive(spawner: Spawner, message: [string, number, ...unknown[]]): void {
    const [op, id] = message;
    const launch = spawner.launches.get(id);
    if (launch === undefined) return;
    switch (op) {
      case "out":
        if (!launch.released) launch.listeners.stdout?.(asBuffer(message[2]));
        break;
      case "err":
        if (!launch.released) launch.listeners.stderr?.(asBuffer(message[2]));
        break;
      case "info":
        if (!launch.released) launch.listeners.info?.(asBuffer(message[2]));
        break;
      case "exit":
        launch.exit = { code: message[2] as number | null, signal: message[3] as NodeJS.Signals | null };
        launch.listeners.exit?.(launch.exit);
        if (launch.released) this.#finish(spawner, id, { kind: "exited", ...launch.exit });
        break;
      case "close":
        this.#finish(spawner, id, {
          kind: "exited",
          ...(launch.exit ?? {
            code: message[2] as number | null,
            signal: message[3] as NodeJS.Signals | null,
          }),
        });
        break;
      case "fail": {
        const error: NodeJS.ErrnoException = new Error(String(message[3]));
        error.code = String(message[2]);
        this.#finish(spawner, id, { kind: "failed", error });
        break;
      }
      case "killed":
        launch.killed.shift()?.();
        break;
    }
  }

  #finish(spawner: Spawner, id: number, end: LaunchEnd): void {
    const launch = spawner.launches.get(id);
    if (launch === undefined) return;
    spawner.launches.delete(id);
    this.#reference(spawner, launch, false);
    for (const resolve of launch.killed.splice(0)) resolve();
    launch.settle(end);
  }

  /** Keeps this process alive while any launch that wants it is running, and no longer. */
  #reference(spawner: Spawner, launch: Launch, wanted: boolean): void {
    if (launch.referenced === wanted) return;
    launch.referenced = wanted;
    spawner.references += wanted ? 1 : -1;
    if (spawner.references === (wanted ? 1 : 0)) {
      if (wanted) spawner.child.channel?.ref();
      else spawner.child.channel?.unref();
    }
  }
}

function send(spawner: Spawner, message: unknown[]): void {
  if (spawner.child.connected) spawner.child.send(message);
}

function asBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(String(data));
}
