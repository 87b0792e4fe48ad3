/** One git invocation: arguments (without the leading `git`), directory, optional stdin. */
export interface GitRunRequest {
  readonly args: readonly string[];
  readonly cwd: string;
  /** Extra environment variables for this invocation only. */
  readonly env?: Readonly<Record<string, string>>;
  /** Text written to git's standard input. */
  readonly input?: string;
  readonly signal?: AbortSignal;
}

/** What git did: its exit code and its complete output. Failure is the caller's to judge. */
export interface GitRunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs git. The default is {@link ProcessGitRunner}; inject another to run git elsewhere (inside
 * a container, over a remote exec) or to observe and interleave commands in tests.
 *
 * Contract: resolves with the exit code for any run that started, whatever the code; rejects
 * with `AbortError` when the signal fires (the process is killed), and with `GitVersionError`
 * when git cannot be started at all.
 */
export interface GitRunner {
  run(request: GitRunRequest): Promise<GitRunResult>;
  /**
   * Optional: starts a long-lived git that answers each line written to its standard input with
   * one line on its standard output (such as `hash-object --stdin-paths`). A runner offering
   * sessions must share this process's file system, since callers may pass it file paths.
   */
  openSession?(request: GitSessionRequest): GitSession;
  /**
   * Optional: starts a long-lived git whose standard input and output are raw byte streams
   * (`cat-file --batch-command`, `mktree --batch`, `update-ref --stdin`); `onOutput` receives
   * its standard output in order. The same file-system rule as for sessions applies.
   */
  openStream?(request: GitSessionRequest, onOutput: (chunk: Buffer) => void): GitStream;
}

/**
 * Options of the operations that are functions rather than `Git` methods (such as
 * `editTree`): how git runs, and a signal that kills it (rejecting with `AbortError`).
 */
export interface GitOperationOptions {
  /** How git runs; default a `ProcessGitRunner`. */
  readonly runner?: GitRunner;
  readonly signal?: AbortSignal;
}

/**
 * Options of the operations that talk to a remote. `token` is for an http(s) remote: git sends
 * it as a basic `Authorization` header (user `x-access-token`), handed to that one git process
 * through its environment only (`GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n`
 * setting `http.<remote url>.extraheader`), never through its arguments or a config file, and
 * redacted from everything git prints. Without a token git uses whatever the user set up (an
 * ssh agent, a credential helper); it never prompts.
 */
export interface RemoteAccessOptions extends GitOperationOptions {
  readonly token?: string | undefined;
}

/** How a long-lived git ended. */
export interface GitStreamExit {
  readonly exitCode: number;
  readonly stderr: string;
}

/** A long-lived git spoken to in bytes. It does not keep this process alive unless `ref`'d. */
export interface GitStream {
  write(data: string | Uint8Array): void;
  /** Closes git's input; git exits once it has answered everything. */
  end(): void;
  /** Kills git. */
  kill(): void;
  /** Settles once git exited, however; never rejects. */
  readonly exited: Promise<GitStreamExit>;
  /** Keeps this process alive (while an answer is awaited). */
  ref(): void;
  /** Lets this process exit while git idles. */
  unref(): void;
}

/** A long-lived git process. */
export interface GitSessionRequest {
  readonly args: readonly string[];
  readonly cwd: string;
}

/** Line-in, line-out conversation with a long-lived git. Requests are answered in order. */
export interface GitSession {
  /**
   * Writes `line` and resolves with git's one-line answer (without the newline). Rejects with
   * `GitCommandError` (exit code, stderr) when git exits before answering.
   */
  request(line: string): Promise<string>;
  /** Ends git's input and waits for it to exit. */
  close(): Promise<void>;
}
