import { GitCommandError } from "../errors.js";
import type { GitRunner, GitStream } from "../git-runner.js";

/**
 * Reads one answer from the front of `buffer`: the value and the bytes it took, or null while
 * the answer is incomplete.
 */
export type AnswerParser<T> = (buffer: Buffer) => { readonly value: T; readonly length: number } | null;

interface Pending {
  readonly parse: AnswerParser<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Questions and answers with one long-lived git, in order: each request writes its input and
 * waits for the answer its parser recognizes. When git exits, every waiting request rejects
 * with `GitCommandError` (git's exit code and stderr) and the conversation is over.
 */
export class StreamConversation {
  readonly args: readonly string[];
  readonly #cwd: string;
  readonly #stream: GitStream;
  readonly #pending: Pending[] = [];
  #buffer: Buffer = Buffer.alloc(0);
  #failure: Error | undefined;

  /** Throws `TypeError` when the runner cannot open streams. */
  constructor(runner: GitRunner, args: readonly string[], cwd: string) {
    if (runner.openStream === undefined) throw new TypeError("this git runner has no streams");
    this.args = args;
    this.#cwd = cwd;
    this.#stream = runner.openStream({ args, cwd }, (chunk) => this.#receive(chunk));
    void this.#stream.exited.then((exit) => {
      this.#fail(new GitCommandError(args, cwd, exit.exitCode, exit.stderr));
    });
  }

  /** True until git has exited. */
  get open(): boolean {
    return this.#failure === undefined;
  }

  /** True while answers are awaited. */
  get busy(): boolean {
    return this.#pending.length > 0;
  }

  request<T>(input: string | Uint8Array, parse: AnswerParser<T>): Promise<T> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise<T>((resolve, reject) => {
      if (this.#pending.length === 0) this.#stream.ref();
      this.#pending.push({ parse, resolve: resolve as (value: unknown) => void, reject });
      this.#stream.write(input);
    });
  }

  /** Ends git's input and waits for it to exit. */
  async close(): Promise<void> {
    this.#stream.ref();
    this.#stream.end();
    await this.#stream.exited;
  }

  /** Kills git at once; waiting requests reject. */
  kill(): void {
    this.#stream.kill();
  }

  #receive(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const next = this.#pending[0];
      if (next === undefined) return;
      let answer: { readonly value: unknown; readonly length: number } | null;
      try {
        answer = next.parse(this.#buffer);
      } catch (error) {
        // An answer we cannot read leaves the stream out of step: stop git.
        this.#fail(error instanceof Error ? error : new Error(String(error)));
        this.#stream.kill();
        return;
      }
      if (answer === null) return;
      this.#pending.shift();
      this.#buffer = this.#buffer.subarray(answer.length);
      if (this.#pending.length === 0) this.#stream.unref();
      next.resolve(answer.value);
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending.splice(0)) pending.reject(this.#failure);
    this.#stream.unref();
  }

  /** For error messages. */
  describe(): string {
    return `git ${this.args.join(" ")} in ${this.#cwd}`;
  }
}

/** Parser of one answer line (without its newline). */
export function lineAnswer(buffer: Buffer): { value: string; length: number } | null {
  const newline = buffer.indexOf(10);
  if (newline === -1) return null;
  return { value: buffer.toString("utf8", 0, newline), length: newline + 1 };
}
