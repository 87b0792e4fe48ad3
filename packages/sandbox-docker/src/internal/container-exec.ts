import { randomUUID } from "node:crypto";
import type { Duplex } from "node:stream";
import { type Clock, InternalError } from "@longshot/core";
import type Docker from "dockerode";
import { FrameDemuxer, type StreamName } from "./frame-demuxer.js";

/** One process to run inside a running container. */
export interface ContainerExecRequest {
  /** Program and arguments (no shell unless you ask for one). */
  readonly argv: readonly string[];
  /** Absolute working directory inside the container. */
  readonly cwd?: string;
  /**
   * The process's complete environment (run under `env -i`, so nothing else is inherited);
   * the container's own environment when absent.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** `uid:gid` or a user name; the container's user when absent. */
  readonly user?: string;
  /** Kill the whole process group after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Aborting kills the whole process group; the promise then resolves with `stop: "abort"`. */
  readonly signal?: AbortSignal;
  /** Bytes written to the process's standard input, which is then closed. */
  readonly stdin?: Uint8Array;
  /** Output as it arrives. */
  readonly onOutput?: (stream: StreamName, chunk: Buffer) => void;
}

/** How a process run with {@link execInContainer} ended. */
export interface ContainerExecOutcome {
  /** The exit code (128 + signal when a signal killed it); null when we killed it or the container went away. */
  readonly exitCode: number | null;
  /** Set when the process group was killed because of the timeout or the abort signal. */
  readonly stop: "timeout" | "abort" | undefined;
}

const killGraceMs = 3_000;

/**
 * Runs `argv` inside a container through `docker exec`, streaming its output to `onOutput`.
 *
 * The process starts in a new session (`setsid`), and its process-group id is recorded in a
 * file under /tmp, so a timeout or an abort kills the whole tree with `kill -9 -pgid` from a
 * second exec; this works the same against a remote engine. Never throws for the process's own
 * failures (they are the exit code); throws when the engine refuses the exec (for example when
 * the container is not running).
 */
export async function execInContainer(
  container: Docker.Container,
  request: ContainerExecRequest,
  clock: Clock,
): Promise<ContainerExecOutcome> {
  const pidFile = `/tmp/.longshot-exec-${randomUUID()}`;
  const clean =
    request.env === undefined
      ? []
      : ["/usr/bin/env", "-i", ...Object.entries(request.env).map(([name, value]) => `${name}=${value}`)];
  const exec = await container.exec({
    Cmd: [
      ...clean,
      "/usr/bin/setsid",
      "-w",
      "/bin/sh",
      "-c",
      'echo $$ >"$0"; "$@"; status=$?; rm -f "$0"; exit $status',
      pidFile,
      ...request.argv,
    ],
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: request.stdin !== undefined,
    Tty: false,
    ...(request.cwd === undefined ? {} : { WorkingDir: request.cwd }),
    ...(request.user === undefined ? {} : { User: request.user }),
  });
  const stream = await exec.start({ hijack: true, stdin: request.stdin !== undefined });
  if (request.stdin !== undefined) stream.end(request.stdin);
  const demuxer = new FrameDemuxer((name, payload) => request.onOutput?.(name, payload));
  stream.on("data", (chunk: Buffer) => demuxer.push(chunk));

  let stop: "timeout" | "abort" | undefined;
  const ended = streamEnd(stream);
  const timers = new AbortController();
  const kill = (reason: "timeout" | "abort"): void => {
    if (stop !== undefined) return;
    stop = reason;
    void killGroup(container, pidFile, request.user).catch(() => undefined);
    // The group is gone within milliseconds; if the stream still hangs (a process that left
    // the session holds it open), stop waiting for it.
    clock.sleep(killGraceMs, timers.signal).then(
      () => stream.destroy(),
      () => undefined,
    );
  };
  const onAbort = (): void => kill("abort");
  request.signal?.addEventListener("abort", onAbort, { once: true });
  if (request.signal?.aborted) onAbort();
  if (request.timeoutMs !== undefined) {
    clock.sleep(request.timeoutMs, timers.signal).then(
      () => kill("timeout"),
      () => undefined,
    );
  }
  try {
    await ended;
  } finally {
    timers.abort();
    request.signal?.removeEventListener("abort", onAbort);
  }
  return { exitCode: stop === undefined ? await exitCodeOf(exec, clock) : null, stop };
}

/** Output of {@link captureInContainer}. */
export interface CapturedExec {
  readonly exitCode: number | null;
  readonly stop: "timeout" | "abort" | undefined;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

/** Runs one internal command in the sandbox's container and returns all of its output. */
export type CaptureCommand = (request: Omit<ContainerExecRequest, "onOutput">) => Promise<CapturedExec>;

/**
 * Runs a short internal command (file reads, git plumbing) and returns its whole output.
 * Throws `InternalError` when the output exceeds `maxBytes`, rather than silently cutting data
 * the caller will parse.
 */
export async function captureInContainer(
  container: Docker.Container,
  request: Omit<ContainerExecRequest, "onOutput">,
  clock: Clock,
  maxBytes = 256 * 1024 * 1024,
): Promise<CapturedExec> {
  const chunks: Record<StreamName, Buffer[]> = { stdout: [], stderr: [] };
  let total = 0;
  let overflow = false;
  const outcome = await execInContainer(
    container,
    {
      ...request,
      onOutput: (stream, chunk) => {
        total += chunk.length;
        if (total > maxBytes) overflow = true;
        else chunks[stream].push(Buffer.from(chunk));
      },
    },
    clock,
  );
  if (overflow) {
    throw new InternalError(`Output of ${request.argv[0] ?? "a command"} exceeded ${maxBytes} bytes.`);
  }
  return {
    exitCode: outcome.exitCode,
    stop: outcome.stop,
    stdout: Buffer.concat(chunks.stdout),
    stderr: Buffer.concat(chunks.stderr),
  };
}

/** Kills the process group recorded in `pidFile`, waiting briefly for the file to appear. */
async function killGroup(
  container: Docker.Container,
  pidFile: string,
  user: string | undefined,
): Promise<void> {
  const script =
    'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -s "$0" ] && break; sleep 0.05; done; ' +
    'pid=$(cat "$0" 2>/dev/null) || exit 0; kill -9 "-$pid" 2>/dev/null; rm -f "$0"';
  const exec = await container.exec({
    Cmd: ["/bin/sh", "-c", script, pidFile],
    AttachStdout: true,
    AttachStderr: true,
    ...(user === undefined ? {} : { User: user }),
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  stream.resume();
  await streamEnd(stream);
}

/** Exec inspect can lag the end of the stream by a moment; poll until the process is done. */
async function exitCodeOf(exec: Docker.Exec, clock: Clock): Promise<number | null> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const info = await exec.inspect();
      if (!info.Running) return info.ExitCode;
    } catch {
      return null;
    }
    await clock.sleep(20);
  }
  return null;
}

function streamEnd(stream: Duplex): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => resolve();
    stream.once("end", done);
    stream.once("close", done);
    stream.once("error", done);
  });
}
