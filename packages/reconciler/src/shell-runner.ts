import { spawn } from "node:child_process";
import { constants } from "node:os";
import { AbortError, type Clock, throwIfAborted } from "@longshot/core";
import { OutputCollector } from "@longshot/sandbox";

export interface ShellRequest {
  readonly command: string;
  readonly cwd: string;
  /** The complete environment; nothing is inherited. */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
  readonly signal?: AbortSignal | undefined;
}

export interface ShellResult {
  readonly exitCode: number;
  /** stdout and stderr interleaved as they arrived, capped (head and tail kept). */
  readonly output: string;
  readonly timedOut: boolean;
  readonly durationMs: number;
}

/** Runs health-check commands. Inject another to run them elsewhere (a container, a sandbox). */
export interface ShellRunner {
  /** Resolves for any exit code or timeout; rejects with AbortError when `signal` aborts. */
  run(request: ShellRequest): Promise<ShellResult>;
}

/** How long to wait for output pipes after the process group is killed. */
const drainMs = 500;

/**
 * Runs `bash -c <command>` as the leader of its own process group; a timeout, an abort or the
 * leader's exit kills the whole group, so no build or test server outlives its check.
 */
export class LocalShellRunner implements ShellRunner {
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  run(request: ShellRequest): Promise<ShellResult> {
    throwIfAborted(request.signal);
    const started = this.#clock.now();
    const output = new OutputCollector(request.maxOutputBytes);
    return new Promise((resolve, reject) => {
      // One pipe for both streams (`exec 2>&1`), so the output keeps the order things happened in.
      const child = spawn("bash", ["-c", `exec 2>&1\n${request.command}`], {
        cwd: request.cwd,
        env: { ...request.env },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let timedOut = false;
      let exitCode: number | null = null;
      let settled = false;
      const killGroup = (): void => {
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      };
      const settle = (action: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(drain);
        request.signal?.removeEventListener("abort", onAbort);
        child.stdout?.destroy();
        child.stderr?.destroy();
        action();
      };
      const done = (): void =>
        settle(() =>
          resolve({
            exitCode: exitCode ?? 1,
            output: output.text(),
            timedOut,
            durationMs: this.#clock.now() - started,
          }),
        );
      const onAbort = (): void => {
        killGroup();
        settle(() =>
          reject(new AbortError("The health check was cancelled.", { cause: request.signal?.reason })),
        );
      };
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup();
      }, request.timeoutMs);
      let drain: NodeJS.Timeout | undefined;
      request.signal?.addEventListener("abort", onAbort, { once: true });
      child.stdout?.on("data", (chunk: Buffer) => output.push(chunk));
      child.stderr?.on("data", (chunk: Buffer) => output.push(chunk));
      child.on("error", (error) => {
        output.push(`${error.message}\n`);
        exitCode = 127;
        done();
      });
      child.on("exit", (code, signal) => {
        exitCode = code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 9));
        killGroup();
        drain = setTimeout(done, drainMs);
      });
      child.on("close", done);
    });
  }
}
