import { existsSync } from "node:fs";
import {
  AbortError,
  ChildProcessLauncher,
  type ProcessLauncher,
  processLauncher,
  throwIfAborted,
} from "@longshot/core";
import { GitVersionError } from "./errors.js";
import type {
  GitRunner,
  GitRunRequest,
  GitRunResult,
  GitSession,
  GitSessionRequest,
  GitStream,
} from "./git-runner.js";
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
  /** Starts the one-shot git processes; default the process-wide {@link processLauncher} (the spawner). */
  readonly launcher?: ProcessLauncher;
  /**
   * Starts the long-lived gits of sessions and streams; default a {@link ChildProcessLauncher}:
   * one started now and then is worth a direct pipe, whose answers never wait behind the
   * spawner's forks.
   */
  readonly sessionLauncher?: ProcessLauncher;
}

const directLauncher = new ChildProcessLauncher();

/**
 * Runs git as a process started by a {@link ProcessLauncher} (by default the spawner, so this
 * process is not forked). Each git runs in its own process group without a controlling
 * terminal, so a credential prompt fails fast instead of hanging, and an abort kills git
 * together with anything it started (ssh, hooks) before the run rejects.
 */
export class ProcessGitRunner implements GitRunner {
  readonly #binary: string;
  readonly #options: ProcessGitRunnerOptions;

  constructor(options: ProcessGitRunnerOptions = {}) {
    this.#binary = options.binary ?? "git";
    this.#options = options;
  }

  run(request: GitRunRequest): Promise<GitRunResult> {
    throwIfAborted(request.signal);
    return new Promise<GitRunResult>((resolve, reject) => {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const launched = this.#launcher().launch(
        {
          argv: [this.#binary, ...request.args],
          cwd: request.cwd,
          ...this.#environmentFor(request),
          stdin: request.input !== undefined,
        },
        { stdout: (chunk) => stdout.push(chunk), stderr: (chunk) => stderr.push(chunk) },
      );
      let settled = false;
      const onAbort = (): void => {
        if (settled) return;
        settled = true;
        launched
          .kill()
          .then(
            () => reject(new AbortError("The git command was cancelled.", { cause: request.signal?.reason })),
            reject,
          );
      };
      request.signal?.addEventListener("abort", onAbort, { once: true });
      if (request.input !== undefined) {
        launched.write(request.input);
        launched.end();
      }
      void launched.ended.then((end) => {
        request.signal?.removeEventListener("abort", onAbort);
        if (settled) return;
        settled = true;
        if (end.kind === "exited") {
          resolve({
            exitCode: end.code ?? (end.signal === null ? 1 : 128 + signalNumber(end.signal)),
            stdout: Buffer.concat(stdout).toString("utf8"),
            stderr: Buffer.concat(stderr).toString("utf8"),
          });
        } else if (end.error.code === "ENOENT" && !existsSync(request.cwd)) {
          // Answer as `git -C <missing directory>` would, so callers see one kind of failure.
          const stderr = `fatal: cannot change to '${request.cwd}': No such file or directory\n`;
          resolve({ exitCode: 128, stdout: "", stderr });
        } else reject(startFailure(this.#binary, end.error));
      });
    });
  }

  openSession(request: GitSessionRequest): GitSession {
    return new ProcessGitSession(this.#sessionLauncher(), {
      argv: [this.#binary, ...request.args],
      cwd: request.cwd,
      ...this.#environmentFor({ args: request.args, cwd: request.cwd }),
    });
  }

  openStream(request: GitSessionRequest, onOutput: (chunk: Buffer) => void): GitStream {
    let stderr = "";
    const launched = this.#sessionLauncher().launch(
      {
        argv: [this.#binary, ...request.args],
        cwd: request.cwd,
        ...this.#environmentFor({ args: request.args, cwd: request.cwd }),
        stdin: true,
      },
      {
        stdout: onOutput,
        stderr: (chunk) => {
          stderr += chunk.toString("utf8");
        },
      },
    );
    launched.unref();
    const exited = launched.ended.then((end) =>
      end.kind === "exited"
        ? { exitCode: end.code ?? 128, stderr }
        : { exitCode: 128, stderr: `${stderr}${end.error.message}\n` },
    );
    return {
      write: (data) => launched.write(data),
      end: () => launched.end(),
      kill: () => void launched.kill(),
      exited,
      ref: () => launched.ref(),
      unref: () => launched.unref(),
    };
  }

  #sessionLauncher(): ProcessLauncher {
    return this.#options.sessionLauncher ?? directLauncher;
  }

  #launcher(): ProcessLauncher {
    return this.#options.launcher ?? processLauncher();
  }

  #environmentFor(request: GitRunRequest): { env?: Readonly<Record<string, string | undefined>> } {
    const base = this.#options.environment;
    if (request.env === undefined) return base === undefined ? {} : { env: base };
    // The inherited environment is the documented default base of this process runner.
    return { env: { ...(base ?? process.env), ...request.env } };
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
