import { spawn } from "node:child_process";
import { GitCommandError } from "../errors.js";
import type { GitSession, GitSessionRequest } from "../git-runner.js";

/** A long-lived git child process answering one stdout line per stdin line. */
export class ProcessGitSession implements GitSession {
  readonly #waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  readonly #exited: Promise<void>;
  readonly #child;
  #buffer = "";
  #stderr = "";
  #failure: Error | undefined;

  constructor(binary: string, request: GitSessionRequest, environment: NodeJS.ProcessEnv | undefined) {
    this.#child = spawn(binary, [...request.args], {
      cwd: request.cwd,
      env: environment,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    this.#child.stdout.setEncoding("utf8");
    this.#child.stderr.setEncoding("utf8");
    this.#child.stdout.on("data", (chunk: string) => this.#receive(chunk));
    this.#child.stderr.on("data", (chunk: string) => {
      this.#stderr += chunk;
    });
    this.#child.stdin.on("error", () => {
      // The exit handler reports why git stopped reading.
    });
    this.#exited = new Promise((resolve) => {
      this.#child.on("error", (error) => {
        this.#fail(error);
        resolve();
      });
      this.#child.on("close", (code) => {
        this.#fail(new GitCommandError(request.args, request.cwd, code ?? 128, this.#stderr));
        resolve();
      });
    });
  }

  request(line: string): Promise<string> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#child.stdin.write(`${line}\n`);
    });
  }

  async close(): Promise<void> {
    this.#child.stdin.end();
    await this.#exited;
  }

  #receive(chunk: string): void {
    this.#buffer += chunk;
    for (let newline = this.#buffer.indexOf("\n"); newline !== -1; newline = this.#buffer.indexOf("\n")) {
      const line = this.#buffer.slice(0, newline);
      this.#buffer = this.#buffer.slice(newline + 1);
      this.#waiting.shift()?.resolve(line);
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(this.#failure);
  }
}
