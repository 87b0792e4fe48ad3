import { spawn } from "node:child_process";
import { lowerPriority } from "./internal/spawner-program.js";
import {
  backgroundNice,
  type ExitStatus,
  type LaunchEnd,
  type LaunchedProcess,
  type LaunchListeners,
  type LaunchRequest,
  type ProcessLauncher,
} from "./process-launcher.js";

/**
 * Starts each program as a child of this process (`node:child_process`): the simple way, and
 * the fallback when the spawner is switched off. Every fork copies this process's page tables
 * and waits for the program to start, on the event loop.
 */
export class ChildProcessLauncher implements ProcessLauncher {
  launch(request: LaunchRequest, listeners: LaunchListeners = {}): LaunchedProcess {
    return startChild(request, listeners);
  }
}

function startChild(request: LaunchRequest, listeners: LaunchListeners): LaunchedProcess {
  let settle: (end: LaunchEnd) => void = () => {};
  const ended = new Promise<LaunchEnd>((resolve) => {
    settle = resolve;
  });
  let done = false;
  let exit: ExitStatus | null = null;
  let released = false;
  const finish = (end: LaunchEnd): void => {
    if (done) return;
    done = true;
    settle(end);
  };
  const [program = "", ...args] = request.argv;
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(program, args, {
      cwd: request.cwd,
      ...(request.env === undefined ? {} : { env: { ...request.env } }),
      detached: true,
      stdio: [
        request.stdin === true ? "pipe" : "ignore",
        "pipe",
        "pipe",
        ...(request.infoPipe === true ? ["pipe" as const] : []),
      ],
    });
  } catch (error) {
    // Arguments Node refuses before forking (a NUL byte, for one).
    finish({ kind: "failed", error: error as NodeJS.ErrnoException });
    return endedProcess(ended);
  }
  if (request.background === true && child.pid !== undefined) lowerPriority(child.pid, backgroundNice);
  child.stdout?.on("data", (chunk: Buffer) => {
    if (!released) listeners.stdout?.(chunk);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    if (!released) listeners.stderr?.(chunk);
  });
  const info = child.stdio[3] as NodeJS.ReadableStream | null | undefined;
  info?.on("data", (chunk: Buffer) => {
    if (!released) listeners.info?.(chunk);
  });
  child.stdin?.on("error", () => {
    // The program stopped reading; its exit tells the story.
  });
  child.on("error", (error: NodeJS.ErrnoException) => {
    if (exit === null) finish({ kind: "failed", error });
  });
  child.on("exit", (code, signal) => {
    exit = { code, signal };
    listeners.exit?.(exit);
    if (released) finish({ kind: "exited", ...exit });
  });
  child.on("close", (code, signal) => finish({ kind: "exited", ...(exit ?? { code, signal }) }));
  return {
    ended,
    write: (data) => {
      if (!done) child.stdin?.write(data);
    },
    end: () => {
      child.stdin?.end();
    },
    kill: (signal = "SIGKILL") => {
      if (!done && child.pid !== undefined) killGroup(child.pid, signal);
      return Promise.resolve();
    },
    release: () => {
      released = true;
      child.stdout?.destroy();
      child.stderr?.destroy();
      (child.stdio[3] as (NodeJS.ReadableStream & { destroy(): void }) | null | undefined)?.destroy();
      if (exit !== null) finish({ kind: "exited", ...exit });
    },
    unref: () => {
      child.unref();
      for (const stream of [child.stdin, child.stdout, child.stderr]) unrefStream(stream);
    },
    ref: () => {
      child.ref();
      for (const stream of [child.stdin, child.stdout, child.stderr]) refStream(stream);
    },
  };
}

function endedProcess(ended: Promise<LaunchEnd>): LaunchedProcess {
  return {
    ended,
    write: () => {},
    end: () => {},
    kill: () => Promise.resolve(),
    release: () => {},
    unref: () => {},
    ref: () => {},
  };
}

/** Signals the process group led by `pid`, or the process alone when it leads none (yet). */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

interface Refable {
  ref?: () => unknown;
  unref?: () => unknown;
}

function unrefStream(stream: unknown): void {
  (stream as Refable | null)?.unref?.();
}

function refStream(stream: unknown): void {
  (stream as Refable | null)?.ref?.();
}
