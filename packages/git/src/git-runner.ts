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
