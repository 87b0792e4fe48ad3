import { execFileSync } from "node:child_process";

/** Options of {@link TmuxTerminal.start}. */
export interface TmuxTerminalOptions {
  /** The shell command the terminal runs. */
  readonly command: string;
  readonly width: number;
  readonly height: number;
  /** Session name; default `longshot-<pid>`. */
  readonly session?: string;
  /**
   * A server socket of its own (a path in the test's temporary directory), so no other tmux
   * user is touched and `close` leaves nothing behind; default the user's tmux server.
   */
  readonly socket?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A program in a real terminal: a detached tmux session whose screen a test reads and whose
 * keyboard it types on. Starting replaces a session of the same name.
 */
export class TmuxTerminal {
  readonly #session: string;
  readonly #socket: string | undefined;

  private constructor(session: string, socket: string | undefined) {
    this.#session = session;
    this.#socket = socket;
  }

  /** Starts `options.command` in a fresh `width`×`height` session. */
  static start(options: TmuxTerminalOptions): TmuxTerminal {
    const terminal = new TmuxTerminal(options.session ?? `longshot-${process.pid}`, options.socket);
    terminal.close();
    const size = ["-x", String(options.width), "-y", String(options.height)];
    terminal.#tmux("new-session", "-d", "-s", terminal.#session, ...size, options.command);
    return terminal;
  }

  /** The visible screen as text; with `escapes`, with its colour and style escape codes. */
  screen(options: { readonly escapes?: boolean } = {}): string {
    return this.#tmux("capture-pane", "-p", ...(options.escapes === true ? ["-e"] : []), "-t", this.#session);
  }

  /** Sends keys as `tmux send-keys` takes them (`Enter`, `C-c`, or `-l` then literal text). */
  keys(...keys: string[]): void {
    this.#tmux("send-keys", "-t", this.#session, ...keys);
  }

  /**
   * Polls the screen until `predicate` holds and returns every screen seen, the last one
   * matching; throws with the last screen once `timeoutMs` has passed without a match.
   */
  async watch(
    predicate: (screen: string) => boolean,
    options: { readonly escapes?: boolean; readonly timeoutMs?: number } = {},
  ): Promise<string[]> {
    const deadline = Date.now() + (options.timeoutMs ?? 20_000);
    const screens: string[] = [];
    while (Date.now() < deadline) {
      const screen = this.screen(options);
      screens.push(screen);
      if (predicate(screen)) return screens;
      await sleep(100);
    }
    throw new Error(`the terminal never showed what was expected; last screen:\n${screens.at(-1) ?? ""}`);
  }

  /** The first screen that shows `text` (see {@link watch}). */
  async waitFor(text: string, timeoutMs?: number): Promise<string> {
    const screens = await this.watch(
      (screen) => screen.includes(text),
      timeoutMs === undefined ? {} : { timeoutMs },
    );
    return screens.at(-1) ?? "";
  }

  /** Ends the session (its own server, with a socket of its own); nothing when it is gone already. */
  close(): void {
    try {
      if (this.#socket === undefined) this.#tmux("kill-session", "-t", this.#session);
      else this.#tmux("kill-server");
    } catch {
      // already gone
    }
  }

  #tmux(...args: string[]): string {
    const socket = this.#socket === undefined ? [] : ["-S", this.#socket];
    return execFileSync("tmux", [...socket, ...args], { encoding: "utf8" });
  }
}
