import type { GitRunner, GitRunRequest, GitRunResult } from "@longshot/git";
import { SandboxError, type SandboxErrorReason } from "../sandbox-error.js";

/**
 * Options that keep the orchestrator's git from running anything a sandbox wrote: no hooks, no
 * fsmonitor command, no user or system config. Worktree commands also name the git directory
 * explicitly, so a rewritten `.git` file in the workspace cannot point git elsewhere.
 */
const hardening = [
  "-c",
  "core.hooksPath=/dev/null",
  "-c",
  "core.fsmonitor=false",
  "-c",
  "core.untrackedCache=false",
];

/**
 * A `GitRunner` that adds the hardening above and, for a worktree, `GIT_DIR` and
 * `GIT_WORK_TREE`. Pathspecs are literal.
 */
export class GuardedGitRunner implements GitRunner {
  readonly #inner: GitRunner;
  readonly #env: Readonly<Record<string, string>>;

  constructor(inner: GitRunner, worktree?: { readonly gitDir: string; readonly workTree: string }) {
    this.#inner = inner;
    this.#env = {
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_LITERAL_PATHSPECS: "1",
      GIT_TERMINAL_PROMPT: "0",
      ...(worktree === undefined ? {} : { GIT_DIR: worktree.gitDir, GIT_WORK_TREE: worktree.workTree }),
    };
  }

  run(request: GitRunRequest): Promise<GitRunResult> {
    return this.#inner.run({
      ...request,
      args: [...hardening, ...request.args],
      env: { ...request.env, ...this.#env },
    });
  }
}

/** Runs git and returns stdout, throwing `SandboxError(reason)` with git's message when the exit code is not accepted. */
export async function gitOutput(
  runner: GitRunner,
  cwd: string,
  args: readonly string[],
  options: {
    readonly reason: SandboxErrorReason;
    readonly signal?: AbortSignal | undefined;
    readonly accept?: readonly number[];
  },
): Promise<GitRunResult> {
  const result = await runner.run({
    args,
    cwd,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (!(options.accept ?? [0]).includes(result.exitCode)) {
    const detail = result.stderr.trim().split("\n").slice(-1)[0] ?? "";
    throw new SandboxError(options.reason, `git ${args[0] ?? ""} failed in ${cwd}: ${detail}`, {
      fields: { args, exitCode: result.exitCode, stderr: result.stderr },
    });
  }
  return result;
}
