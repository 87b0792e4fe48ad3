import type { LaunchedProcess, LaunchRequest, ProcessLauncher } from "@longshot/core";
import { GitCommandError } from "../errors.js";
import type { GitSession } from "../git-runner.js";

/**
 * A long-lived git answering one stdout line per stdin line. It keeps this process alive only
 * while a request is waiting, so an idle session never holds a finished run open.
 */
export class ProcessGitSession implements GitSession {
  readonly #waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  readonly #process: LaunchedProcess;
  #buffer = "";
  #stderr = "";
  #failure: Error | undefined;

  constructor(launcher: ProcessLauncher, request: LaunchRequest) {
    const args = request.argv.slice(1);
    this.#process = launcher.launch(
      { ...request, stdin: true },
      {
        stdout: (chunk) => this.#receive(chunk.toString("utf8")),
        stderr: (chunk) => {
          this.#stderr += chunk.toString("utf8");
        },
      },
    );
    this.#process.unref();
    void this.#process.ended.then((end) => {
      this.#fail(
        end.kind === "failed"
          ? end.error
          : new GitCommandError(args, request.cwd, end.code ?? 128, this.#stderr),
      );
    });
  }

  request(line: string): Promise<string> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      if (this.#waiting.length === 0) this.#process.ref();
      this.#waiting.push({ resolve, reject });
      this.#process.write(`${line}\n`);
    });
  }

  async close(): Promise<void> {
    this.#process.ref();
    this.#process.end();
    await this.#process.ended;
  }

  #receive(chunk: string): void {
    this.#buffer += chunk;
    for (let newline = this.#buffer.indexOf("\n"); newline !== -1; newline = this.#buffer.indexOf("\n")) {
      const line = this.#buffer.slice(0, newline);
      this.#buffer = this.#buffer.slice(newline + 1);
      this.#waiting.shift()?.resolve(line);
      if (this.#waiting.length === 0) this.#process.unref();
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(this.#failure);
  }
}
