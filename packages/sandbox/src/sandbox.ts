/**
 * The `Sandbox` spec: one small interface every provider (local worktree, Docker, E2B)
 * implements and proves with `describeSandboxConformance` from `@longshot/sandbox/conformance`.
 *
 * Paths given to file operations and `cwd` are relative to the workspace root (absolute paths
 * are accepted only when they point inside `workdir`). Every operation on a destroyed sandbox
 * rejects with a `SandboxError` whose reason says why it was destroyed.
 */

/** Resource limits of one sandbox. Wall and idle timeouts are enforced by every provider. */
export interface SandboxLimits {
  /** The sandbox is destroyed this long after creation, running commands included. */
  readonly wallTimeoutMs: number;
  /** The sandbox is destroyed after this long without an exec (a running exec is not idle). */
  readonly idleTimeoutMs: number;
  /** CPU cores; enforced where `Sandbox.isolation.cpu` is true. */
  readonly cpuCores: number;
  /** Memory in megabytes; enforced where `Sandbox.isolation.memory` is true. */
  readonly memoryMb: number;
  /** Network access for commands. Off by default; see `Sandbox.isolation.network`. */
  readonly network: boolean;
  /**
   * Disk in megabytes: the size of the private `/tmp` (which holds `$HOME`), the largest file
   * a command may write in the workspace, and (local provider) how much the workspace may grow
   * over its checkout; `defaultDiskMb` when absent. Enforced where
   * `Sandbox.isolation.filesystem` is true.
   */
  readonly diskMb?: number;
}

/** What a sandbox actually enforces. A provider never claims more than it does. */
export interface SandboxIsolation {
  /** With `limits.network` false, commands cannot open any connection, loopback included. */
  readonly network: boolean;
  /** Commands cannot write outside the workspace, their own temp dirs and home. */
  readonly filesystem: boolean;
  /** Commands see only their own processes. */
  readonly processes: boolean;
  readonly cpu: boolean;
  readonly memory: boolean;
}

/**
 * A unix socket on the host that commands inside may connect to even without network (the
 * model gateway's). Providers that share the host's kernel bind it at `inside`.
 */
export interface SocketMount {
  readonly host: string;
  readonly inside: string;
}

/** Everything a provider needs to create a sandbox for one task attempt. */
export interface SandboxCreateOptions {
  /** The orchestrator's repository (a local path with a `.git`). */
  readonly repoPath: string;
  /** Full sha the workspace starts from. */
  readonly baseCommit: string;
  readonly runId: string;
  readonly taskId: string;
  /**
   * Branch the work is committed to, such as `longshot/<run>/<task>` (without `refs/heads/`).
   * It may exist already, left by an earlier attempt of the same task: the workspace still
   * starts clean at `baseCommit`, and the branch is moved (by compare-and-swap, never clobbering
   * a concurrent change) to this attempt's work, at the latest on `exportResult`.
   */
  readonly branch: string;
  readonly limits: SandboxLimits;
  /** Variables added to every exec's environment (exec-level `env` wins). */
  readonly env?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/** Options of one command. Exactly one of `command` and `argv` is given. */
export interface ExecOptions {
  /** A shell command line, run with `bash -c` (`sh -c` where bash is absent). */
  readonly command?: string;
  /** A program and its arguments, run without a shell. */
  readonly argv?: readonly string[];
  /** Working directory relative to the workspace root; the root by default. */
  readonly cwd?: string;
  /**
   * Variables on top of the minimal base (`PATH`, `HOME`, `LANG`, `TMPDIR`) and the sandbox's
   * own `env`. Nothing from the orchestrator's environment is inherited.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** The whole process tree is killed after this long; `defaultExecTimeoutMs` by default. */
  readonly timeoutMs?: number;
  /** Aborting kills the whole process tree and rejects with an `AbortError`. */
  readonly signal?: AbortSignal;
  /** Called with output as it arrives, uncapped. */
  readonly onStdout?: (chunk: string) => void;
  readonly onStderr?: (chunk: string) => void;
  /** Cap of each of `stdout` and `stderr` in the result; see `OutputCollector`. */
  readonly maxOutputBytes?: number;
}

export interface ExecResult {
  /** The exit code; 128 + signal number when killed by a signal (137 after a timeout). */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** True when stdout or stderr exceeded `maxOutputBytes` and was cut in the middle. */
  readonly truncated: boolean;
  readonly durationMs: number;
}

export interface ReadFileOptions {
  /** First line to return, 1-based, inclusive. */
  readonly startLine?: number;
  /** Last line to return, 1-based, inclusive. */
  readonly endLine?: number;
  readonly signal?: AbortSignal;
}

export interface ListFilesOptions {
  /** List the whole tree below the directory: files only, without `.git` and what `.gitignore` ignores. */
  readonly recursive?: boolean;
  /** At most this many entries (default 1,000); `truncated` says when more exist. */
  readonly limit?: number;
  readonly signal?: AbortSignal;
}

export interface FileEntry {
  /** Path relative to the workspace root, with `/` separators. */
  readonly path: string;
  readonly type: "file" | "directory" | "symlink";
}

export interface FileList {
  /** Sorted by path. */
  readonly entries: readonly FileEntry[];
  readonly truncated: boolean;
}

export interface SearchOptions {
  /** Directory or file to search, relative to the workspace root; the root by default. */
  readonly path?: string;
  /** Only files whose path matches this glob (ripgrep `--glob` syntax, such as `*.ts`). */
  readonly glob?: string;
  /** At most this many matches (default 100); `truncated` says when more exist. */
  readonly maxResults?: number;
  readonly ignoreCase?: boolean;
  /** Treat the pattern as a literal string instead of a regular expression. */
  readonly literal?: boolean;
  readonly signal?: AbortSignal;
}

export interface SearchMatch {
  /** Path relative to the workspace root, with `/` separators. */
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  /** The matching line without its line ending (long lines are cut). */
  readonly text: string;
}

/**
 * Search result. Files are searched as `git ls-files --cached --others --exclude-standard`
 * lists them (hidden files included, `.git` and ignored files excluded), matches sorted by file
 * then line.
 */
export interface SearchResult {
  readonly matches: readonly SearchMatch[];
  readonly truncated: boolean;
}

export interface CommitAuthor {
  readonly name: string;
  readonly email: string;
}

export interface CommitOptions {
  readonly message: string;
  readonly author: CommitAuthor;
  readonly signal?: AbortSignal;
}

/** Options of `Sandbox.moveTo`. */
export interface MoveOptions {
  /**
   * Untracked or ignored paths kept across the move (dependency caches such as `node_modules`),
   * as `git clean --exclude` patterns; everything else not in the commit is removed.
   */
  readonly keep?: readonly string[];
  readonly signal?: AbortSignal;
}

/** A live sandbox. Methods may be called concurrently; `destroy` is idempotent. */
export interface Sandbox {
  /** Unique id, recorded in the event log and used by `cleanOrphans`. */
  readonly id: string;
  /** Provider name, such as `local`, `docker` or `e2b`. */
  readonly provider: string;
  /** The workspace's absolute path as commands inside see it. */
  readonly workdir: string;
  readonly branch: string;
  /** The commit the workspace was created at, or last moved to with `moveTo`. */
  readonly baseCommit: string;
  readonly isolation: SandboxIsolation;

  /**
   * Runs a command. A non-zero exit or a timeout is a result, not an error. Throws `GuardError`
   * for refused commands or a `cwd` outside the workspace, `AbortError` when `signal` aborts,
   * `SandboxError` when the sandbox is (or gets) destroyed. Resets the idle timer.
   */
  exec(options: ExecOptions): Promise<ExecResult>;
  /** Reads a UTF-8 file, optionally a line range. Throws `GuardError`, `SandboxError` (`not-found`, `not-a-file`). */
  readFile(path: string, options?: ReadFileOptions): Promise<string>;
  /** Writes a file, creating parent directories. Throws `GuardError`, `SandboxError`. */
  writeFile(
    path: string,
    content: string | Uint8Array,
    options?: { readonly signal?: AbortSignal },
  ): Promise<void>;
  /** Lists a directory (the workspace root by default). Throws `GuardError`, `SandboxError` (`not-found`). */
  listFiles(dir?: string, options?: ListFilesOptions): Promise<FileList>;
  /** Searches file contents with a regular expression. Throws `GuardError`, `SandboxError` (`bad-pattern`). */
  search(pattern: string, options?: SearchOptions): Promise<SearchResult>;
  /**
   * Commits every change in the workspace (ignored files excepted) on top of the previous
   * commit and moves `branch` to it; no hooks run. Returns the sha, or null when nothing
   * changed.
   */
  commit(options: CommitOptions): Promise<string | null>;
  /**
   * Makes the branch's last commit available in the orchestrator's repository at
   * `refs/heads/<branch>` and returns its sha (the base commit when nothing was committed).
   */
  exportResult(options?: { readonly signal?: AbortSignal }): Promise<string>;
  /**
   * Moves a warm sandbox to another commit (of the same repository, such as a later head of the
   * integration branch): the workspace becomes `commit` checked out, clean, except the `keep`
   * paths; `/tmp` and `$HOME` stay. `baseCommit` becomes `commit`, and later commits build on
   * it. Call it while no command runs. Throws `SandboxError` (`move-failed`) when the commit
   * cannot be checked out.
   */
  moveTo(commit: string, options?: MoveOptions): Promise<void>;
  /** Kills every process and frees the workspace. Idempotent; never throws for a gone sandbox. */
  destroy(options?: { readonly signal?: AbortSignal }): Promise<void>;
}

/** What {@link SandboxProvider.warm} prepares. */
export interface SandboxWarmOptions {
  readonly repoPath: string;
  readonly baseCommit: string;
  readonly count: number;
  readonly signal?: AbortSignal;
}

/** Creates sandboxes of one kind. */
export interface SandboxProvider {
  /** `local`, `docker`, `e2b`. */
  readonly name: string;
  /**
   * Creates a sandbox whose workspace is `baseCommit` checked out, clean. Throws `SandboxError`
   * (`create-failed`), `AbortError`.
   */
  create(options: SandboxCreateOptions): Promise<Sandbox>;
  /**
   * Gets sandboxes' workspaces ready ahead of `create` (a warm pool's idle worktrees at
   * `baseCommit`) until `count` exist, those in use included, one at a time so it never crowds
   * work in progress; stops early when `signal` aborts or one fails. Resolves with how many it
   * got ready. Providers with nothing to prepare ahead leave it out.
   */
  warm?(options: SandboxWarmOptions): Promise<number>;
  /**
   * Removes every sandbox this provider (or a crashed earlier process with the same settings)
   * created whose id is not in `liveIds`. Returns the removed ids.
   */
  cleanOrphans(
    liveIds: readonly string[],
    options?: { readonly signal?: AbortSignal },
  ): Promise<readonly string[]>;
  /** Frees pooled resources. Live sandboxes are left alone (destroy them first). */
  close(options?: { readonly signal?: AbortSignal }): Promise<void>;
}

/** Exec timeout when none is given: ten minutes. */
export const defaultExecTimeoutMs = 600_000;
/** Disk of a sandbox when its limits name none: 2 GiB. */
export const defaultDiskMb = 2048;
/** Output cap per stream when none is given: 1 MiB. */
export const defaultMaxOutputBytes = 1_048_576;
