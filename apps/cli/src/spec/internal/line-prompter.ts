import { createInterface, type Interface } from "node:readline";

/** Why the prompter stopped giving lines. */
export type StopReason = "end-of-input" | "interrupted";

/**
 * Reads answers one line at a time. On a terminal, node:readline does line editing and Ctrl+C
 * or Ctrl+D stops the interview; piped input is buffered, so lines that arrive before their
 * question are kept, and each answer is echoed after its prompt so the transcript reads well.
 */
export class LinePrompter {
  readonly #readline: Interface;
  readonly #output: NodeJS.WritableStream;
  readonly #terminal: boolean;
  readonly #lines: string[] = [];
  readonly #interrupt = new AbortController();
  readonly #signal: AbortSignal;
  readonly #onAbort = (): void => this.#stop("interrupted");
  #waiter: ((line: string | null) => void) | undefined;
  #stopped: StopReason | undefined;

  constructor(options: {
    readonly input: NodeJS.ReadableStream;
    readonly output: NodeJS.WritableStream;
    readonly terminal: boolean;
    readonly signal: AbortSignal;
  }) {
    this.#output = options.output;
    this.#terminal = options.terminal;
    this.#signal = options.signal;
    this.#readline = createInterface({
      input: options.input,
      output: options.output,
      terminal: options.terminal,
      historySize: options.terminal ? 50 : 0,
    });
    this.#readline.on("line", (line) => this.#deliver(line));
    this.#readline.on("close", () => this.#stop("end-of-input"));
    // Only emitted on a terminal (raw mode turns Ctrl+C into a key, not a signal).
    this.#readline.on("SIGINT", () => this.#stop("interrupted"));
    if (options.signal.aborted) this.#stop("interrupted");
    else options.signal.addEventListener("abort", this.#onAbort, { once: true });
  }

  /**
   * Aborts when the user interrupts (Ctrl+C) or the caller's signal aborts, not at the end of
   * piped input: answers already buffered still count.
   */
  get interruptSignal(): AbortSignal {
    return this.#interrupt.signal;
  }

  /** Set once no more lines will come. */
  get stopped(): StopReason | undefined {
    return this.#lines.length > 0 ? undefined : this.#stopped;
  }

  /** Writes `text` as is. */
  write(text: string): void {
    this.#output.write(text);
  }

  /** Shows `prompt` and resolves with the next line, or `null` when input ended or was interrupted. */
  async ask(prompt: string): Promise<string | null> {
    if (this.#stopped === "interrupted") return null;
    if (this.#terminal) {
      this.#readline.setPrompt(prompt);
      this.#readline.prompt();
    } else {
      this.#output.write(prompt);
    }
    const line = await this.#next();
    if (!this.#terminal) this.#output.write(line === null ? "\n" : `${line}\n`);
    return line;
  }

  /** Releases the input (a paused stdin lets the process exit). Idempotent. */
  close(): void {
    this.#signal.removeEventListener("abort", this.#onAbort);
    this.#readline.close();
  }

  #next(): Promise<string | null> {
    const buffered = this.#lines.shift();
    if (buffered !== undefined) return Promise.resolve(buffered);
    if (this.#stopped !== undefined) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  #deliver(line: string): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter !== undefined) waiter(line);
    else this.#lines.push(line);
  }

  #stop(reason: StopReason): void {
    const first = this.#stopped === undefined;
    if (first || reason === "interrupted") this.#stopped = reason;
    if (reason === "interrupted") {
      this.#lines.length = 0;
      this.#interrupt.abort();
    }
    // Leave the line the prompt was on, so what follows starts on its own.
    if (first && this.#terminal && (reason === "interrupted" || this.#waiter !== undefined))
      this.#output.write("\n");
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.(null);
    this.#readline.close();
  }
}
