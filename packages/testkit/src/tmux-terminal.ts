import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Options of {@link TmuxTerminal.start}. */
export interface TmuxTerminalOptions {
  /** The shell command the terminal runs. */
  readonly command: string;
  readonly width: number;
  readonly height: number;
  /** Session name; default `longshot-<pid>`. */
  readonly session?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A program in a real terminal: a detached tmux session whose screen a test reads and whose
 * keyboard it types on.
 *
 * Every terminal runs on a tmux server of its own, its socket in a fresh temporary directory:
 * no other tmux user is touched, and a terminal started right after another one closed never
 * reaches the old server while it is still exiting (on a shared server, the last session's
 * `kill-session` ends the server, and a `new-session` sent in that moment fails with "server
 * exited unexpectedly").
 */
export class TmuxTerminal {
  readonly #session: string;
  readonly #dir: string;

  private constructor(session: string, dir: string) {
    this.#session = session;
    this.#dir = dir;
  }

  /** Starts `options.command` in a fresh `width`×`height` session on a server of its own. */
  static start(options: TmuxTerminalOptions): TmuxTerminal {
    const dir = mkdtempSync(join(tmpdir(), "longshot-tmux-"));
    const terminal = new TmuxTerminal(options.session ?? `longshot-${process.pid}`, dir);
    const size = ["-x", String(options.width), "-y", String(options.height)];
    try {
      terminal.#tmux("new-session", "-d", "-s", terminal.#session, ...size, options.command);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
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

  /** Ends the session and its server and removes the socket; nothing when it is gone already. */
  close(): void {
    try {
      this.#tmux("kill-server");
    } catch {
      // already gone
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #tmux(...args: string[]): string {
    // stderr is kept for the error a failed command throws, not written to the test's output.
    return execFileSync("tmux", ["-S", join(this.#dir, "tmux.sock"), ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  }
}
