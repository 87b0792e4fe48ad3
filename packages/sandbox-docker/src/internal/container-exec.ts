import { randomUUID } from "node:crypto";
import type { Duplex } from "node:stream";
import { type Clock, messageOf } from "@longshot/core";
import type Docker from "dockerode";
import { FrameDemuxer, type StreamName } from "./frame-demuxer.js";

/** One process to run inside a running container. */
export interface ContainerExecRequest {
  /** Program and arguments (no shell unless you ask for one). */
  readonly argv: readonly string[];
  /** Absolute working directory inside the container. */
  readonly cwd?: string;
  /** Variables added to the container's base environment for this process. */
  readonly env?: Readonly<Record<string, string>>;
  /** `uid:gid` or a user name; the container's user when absent. */
  readonly user?: string;
  /** Kill the whole process group after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Bytes of stdout and stderr (together) kept in the result; the rest is counted and dropped. */
  readonly maxOutputBytes?: number;
  /** Aborting kills the whole process group; the promise then resolves with `aborted`. */
  readonly signal?: AbortSignal;
  /** Every chunk of output as it arrives, whether or not it fits in the cap. */
  readonly onOutput?: (stream: StreamName, chunk: Buffer) => void;
}

/** What happened to a process run with {@link execInContainer}. */
export interface ContainerExecResult {
  /** The exit code, or null when the process was killed or the container went away. */
  readonly exitCode: number | null;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  /** Total bytes produced on both streams, including any dropped beyond the cap. */
  readonly outputBytes: number;
  readonly truncated: boolean;
  readonly timedOut: boolean;
  readonly aborted: boolean;
}

const defaultMaxOutputBytes = 64 * 1024 * 1024;
const killGraceMs = 3_000;

/**
 * Runs `argv` inside a container through `docker exec` and collects its output.
 *
 * The process starts in a new session (`setsid`), and its process-group id is recorded in a
 * file under /tmp, so a timeout or an abort kills the whole tree with `kill -9 -pgid`
 * from a second exec; this works the same against a remote engine. Never throws for the
 * process's own failures (they are the exit code); throws when the engine refuses the exec
 * (for example when the container is not running).
 */
export async function execInContainer(
  container: Docker.Container,
  request: ContainerExecRequest,
  clock: Clock,
): Promise<ContainerExecResult> {
  const pidFile = `/tmp/.longshot-exec-${randomUUID()}`;
  const wrapped = [
    "/usr/bin/setsid",
    "-w",
    "/bin/sh",
    "-c",
    'echo $$ >"$0"; "$@"; status=$?; rm -f "$0"; exit $status',
    pidFile,
    ...request.argv,
  ];
  const exec = await container.exec({
    Cmd: wrapped,
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: false,
    Tty: false,
    Env: Object.entries(request.env ?? {}).map(([name, value]) => `${name}=${value}`),
    ...(request.cwd === undefined ? {} : { WorkingDir: request.cwd }),
    ...(request.user === undefined ? {} : { User: request.user }),
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const output = new OutputCollector(request.maxOutputBytes ?? defaultMaxOutputBytes, request.onOutput);
  const demuxer = new FrameDemuxer((name, payload) => output.add(name, payload));
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
  const exitCode = stop === undefined ? await exitCodeOf(exec, clock) : null;
  return {
    exitCode,
    stdout: output.bytes("stdout"),
    stderr: output.bytes("stderr"),
    outputBytes: output.total,
    truncated: output.truncated,
    timedOut: stop === "timeout",
    aborted: stop === "abort",
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

/** Keeps output up to a byte cap across both streams and passes every chunk on. */
class OutputCollector {
  private readonly chunks: Record<StreamName, Buffer[]> = { stdout: [], stderr: [] };
  private kept = 0;
  total = 0;
  truncated = false;

  constructor(
    private readonly cap: number,
    private readonly onOutput: ((stream: StreamName, chunk: Buffer) => void) | undefined,
  ) {}

  add(stream: StreamName, chunk: Buffer): void {
    this.total += chunk.length;
    try {
      this.onOutput?.(stream, chunk);
    } catch (error) {
      // A listener's failure must not tear down the process we are supervising.
      this.chunks.stderr.push(Buffer.from(`[output listener failed: ${messageOf(error)}]\n`));
    }
    const room = this.cap - this.kept;
    if (room <= 0) {
      this.truncated = this.truncated || chunk.length > 0;
      return;
    }
    const slice = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (slice.length < chunk.length) this.truncated = true;
    this.chunks[stream].push(Buffer.from(slice));
    this.kept += slice.length;
  }

  bytes(stream: StreamName): Buffer {
    return Buffer.concat(this.chunks[stream]);
  }
}
