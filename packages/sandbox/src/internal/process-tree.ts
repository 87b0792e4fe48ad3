import { readdir } from "node:fs/promises";
import { constants } from "node:os";
import { StringDecoder } from "node:string_decoder";
import { type ProcessLauncher, processLauncher } from "@longshot/core";
import { OutputCollector } from "../output-collector.js";
import { readProcFile } from "./proc-file.js";

/** How a process tree run ended before its own exit: a timeout, or a caller asking it to stop. */
export type StopReason = "timeout" | "stopped";

export interface ProcessTreeRequest {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
  readonly onStdout?: ((chunk: string) => void) | undefined;
  readonly onStderr?: ((chunk: string) => void) | undefined;
  /** Aborting kills the tree; the run then resolves with `stopped: true`. */
  readonly stop: AbortSignal;
  /** Monotonic milliseconds, for `durationMs`. */
  readonly now: () => number;
  /** Starts the program; default the process-wide launcher (the spawner). */
  readonly launcher?: ProcessLauncher | undefined;
}

export interface ProcessTreeResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly stopped: boolean;
  readonly truncated: boolean;
  readonly durationMs: number;
}

/** How long to wait for output pipes to close after the tree is killed (a daemon that escaped the group may hold them). */
const drainMs = 500;

/**
 * Runs a program as the leader of a new session and process group, in the background (below the
 * orchestrator's CPU priority, see `backgroundNice`). A timeout or `stop` kills the whole group
 * with SIGKILL, and so does the leader's own exit, so no background process outlives its command
 * (under bubblewrap the pid namespace ends with its leader anyway).
 * Never rejects for the command's own failure; a failure to start resolves as exit code 127.
 */
export function runProcessTree(request: ProcessTreeRequest): Promise<ProcessTreeResult> {
  const started = request.now();
  const stdout = new OutputCollector(request.maxOutputBytes);
  const stderr = new OutputCollector(request.maxOutputBytes);
  const stdoutText = decoding(request.onStdout);
  const stderrText = decoding(request.onStderr);
  let timedOut = false;
  let stopped = false;
  let drainTimer: NodeJS.Timeout | undefined;
  const launched = (request.launcher ?? processLauncher()).launch(
    {
      argv: request.argv.length === 0 ? ["true"] : request.argv,
      cwd: request.cwd,
      env: { ...request.env },
      // Sandbox work yields the CPU to the orchestrator's landings and dispatch.
      background: true,
    },
    {
      stdout: (chunk) => {
        stdout.push(chunk);
        stdoutText.write(chunk);
      },
      stderr: (chunk) => {
        stderr.push(chunk);
        stderrText.write(chunk);
      },
      exit: () => {
        void launched.kill();
        drainTimer = setTimeout(() => launched.release(), drainMs);
      },
    },
  );
  const onStop = (): void => {
    stopped = !timedOut;
    void launched.kill();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    void launched.kill();
  }, request.timeoutMs);
  request.stop.addEventListener("abort", onStop, { once: true });
  if (request.stop.aborted) onStop();
  return launched.ended.then((end) => {
    clearTimeout(timer);
    clearTimeout(drainTimer);
    request.stop.removeEventListener("abort", onStop);
    launched.release();
    stdoutText.end();
    stderrText.end();
    if (end.kind === "failed") stderr.push(`${end.error.message}\n`);
    const exitCode =
      end.kind === "failed"
        ? 127
        : (end.code ?? 128 + (end.signal === null ? 0 : (constants.signals[end.signal] ?? 9)));
    return {
      exitCode,
      stdout: stdout.text(),
      stderr: stderr.text(),
      timedOut,
      stopped,
      truncated: stdout.truncated || stderr.truncated,
      durationMs: Math.max(0, request.now() - started),
    };
  });
}

/** Decodes chunks to text for `callback`, never splitting a UTF-8 character. */
function decoding(callback: ((chunk: string) => void) | undefined): {
  write(chunk: Buffer): void;
  end(): void;
} {
  const decoder = new StringDecoder("utf8");
  return {
    write: (chunk) => {
      if (callback === undefined) return;
      const text = decoder.write(chunk);
      if (text !== "") callback(text);
    },
    end: () => {
      const rest = decoder.end();
      if (rest !== "" && callback !== undefined) callback(rest);
    },
  };
}

/** How many /proc files a machine-wide scan reads at once. */
const scanBatch = 16;

/**
 * Kills every process whose environment holds `name=value` (or a value starting with `value`) (processes that left their process
 * group, such as `setsid` daemons of an unwrapped sandbox). Returns how many were signalled.
 * Processes this user cannot read are skipped.
 */
export async function killProcessesWithEnv(
  name: string,
  value: string,
  match: "exact" | "prefix" = "exact",
): Promise<number> {
  const needle = Buffer.from(`\0${name}=${value}${match === "exact" ? "\0" : ""}`);
  let killed = 0;
  let entries: string[];
  try {
    entries = await readdir("/proc");
  } catch {
    return 0;
  }
  const pids = entries.filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid);
  // A few reads at a time: a busy machine has thousands of processes.
  for (let start = 0; start < pids.length; start += scanBatch) {
    await Promise.all(
      pids.slice(start, start + scanBatch).map(async (entry) => {
        if (await killIfEnvHolds(Number(entry), needle)) killed += 1;
      }),
    );
  }
  return killed;
}

/**
 * Kills the processes below `rootPid` (a sandbox namespace's init) whose environment holds
 * `name=value`: what a command left running after it ended (daemons reparented to the init).
 * Cheaper than scanning every process of the machine. Returns how many were signalled.
 */
export async function killDescendantsWithEnv(rootPid: number, name: string, value: string): Promise<number> {
  const needle = Buffer.from(`\0${name}=${value}\0`);
  const seen = new Set<number>();
  const queue = [rootPid];
  let killed = 0;
  while (queue.length > 0) {
    const pid = queue.shift()!;
    const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
    for (const task of tasks) {
      const children = await readProcFile(`/proc/${pid}/task/${task}/children`).then(
        (bytes) => bytes.toString("utf8"),
        () => "",
      );
      for (const child of children.split(" ").filter(Boolean).map(Number)) {
        if (seen.has(child)) continue;
        seen.add(child);
        queue.push(child);
      }
    }
  }
  for (const pid of seen) {
    if (await killIfEnvHolds(pid, needle)) killed += 1;
  }
  return killed;
}

/**
 * Kills `pid` with SIGKILL when its environment (NUL-separated, framed by NULs) holds `needle`.
 * False when it does not, or when the process is gone or not this user's to read or signal.
 */
async function killIfEnvHolds(pid: number, needle: Buffer): Promise<boolean> {
  try {
    const environ = Buffer.concat([
      Buffer.from([0]),
      await readProcFile(`/proc/${pid}/environ`),
      Buffer.from([0]),
    ]);
    if (!environ.includes(needle)) return false;
    process.kill(pid, "SIGKILL");
    return true;
  } catch {
    return false;
  }
}
