import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { AbortError, throwIfAborted } from "@longshot/core";
import { GitVersionError } from "./errors.js";
import type { GitRunner, GitRunRequest, GitRunResult, GitSession, GitSessionRequest } from "./git-runner.js";
import { ProcessGitSession } from "./internal/process-git-session.js";

/** Options of {@link ProcessGitRunner}. */
export interface ProcessGitRunnerOptions {
  /** The git executable; default `git` found on PATH. */
  readonly binary?: string;
  /**
   * The complete environment of every git process. Default: inherit this process's
   * environment. Request `env` entries are added on top; when a request has `env` and no base
   * environment was given, the inherited one is used as the base.
   */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

/**
 * Runs git as a child process of this one. Each git runs in its own process group without a
 * controlling terminal, so a credential prompt fails fast instead of hanging, and an abort
 * kills git together with anything it started (ssh, hooks).
 */
export class ProcessGitRunner implements GitRunner {
  readonly #binary: string;
  readonly #environment: Readonly<Record<string, string | undefined>> | undefined;

  constructor(options: ProcessGitRunnerOptions = {}) {
    this.#binary = options.binary ?? "git";
    this.#environment = options.environment;
  }

  run(request: GitRunRequest): Promise<GitRunResult> {
    throwIfAborted(request.signal);
    return new Promise<GitRunResult>((resolve, reject) => {
      const child = spawn(this.#binary, [...request.args], {
        cwd: request.cwd,
        env: this.#environmentFor(request),
        stdio: [request.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
        detached: true,
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let settled = false;
      const onAbort = (): void => {
        if (child.pid !== undefined) killGroup(child.pid);
        finish(() =>
          reject(new AbortError("The git command was cancelled.", { cause: request.signal?.reason })),
        );
      };
      const finish = (settle: () => void): void => {
        if (settled) return;
        settled = true;
        request.signal?.removeEventListener("abort", onAbort);
        settle();
      };
      request.signal?.addEventListener("abort", onAbort, { once: true });
      child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
      child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
      child.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT" && !existsSync(request.cwd)) {
          // Answer as `git -C <missing directory>` would, so callers see one kind of failure.
          const stderr = `fatal: cannot change to '${request.cwd}': No such file or directory\n`;
          finish(() => resolve({ exitCode: 128, stdout: "", stderr }));
          return;
        }
        finish(() => reject(startFailure(this.#binary, error)));
      });
      child.on("close", (code, signal) => {
        finish(() =>
          resolve({
            exitCode: code ?? (signal === null ? 1 : 128 + signalNumber(signal)),
            stdout: Buffer.concat(stdout).toString("utf8"),
            stderr: Buffer.concat(stderr).toString("utf8"),
          }),
        );
      });
      if (request.input !== undefined && child.stdin !== null) {
        child.stdin.on("error", () => {
          // git may exit before reading all of its input; the exit code tells the story.
        });
        child.stdin.end(request.input);
      }
    });
  }

  openSession(request: GitSessionRequest): GitSession {
    return new ProcessGitSession(
      this.#binary,
      request,
      this.#environment === undefined ? undefined : { ...this.#environment },
    );
  }

  #environmentFor(request: GitRunRequest): NodeJS.ProcessEnv | undefined {
    if (request.env === undefined)
      return this.#environment === undefined ? undefined : { ...this.#environment };
    // The inherited environment is the documented default base of this process runner.
    return { ...(this.#environment ?? process.env), ...request.env };
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function startFailure(binary: string, error: NodeJS.ErrnoException): Error {
  if (error.code === "ENOENT") {
    return new GitVersionError(`Could not find the git program "${binary}"; install git 2.38 or newer.`, {
      cause: error,
      fields: { binary },
    });
  }
  return error;
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal] ?? 0;
}
