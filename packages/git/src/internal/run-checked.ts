import { redactValues, throwIfAborted } from "@longshot/core";
import { GitCommandError } from "../errors.js";
import type { GitRunner, GitRunResult } from "../git-runner.js";

/** How one checked git command runs, beyond its arguments and directory. */
export interface CheckedRunOptions {
  readonly signal?: AbortSignal | undefined;
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Exit codes that are answers rather than failures; default only 0. */
  readonly accept?: readonly number[];
  /**
   * Values (a token, a credential) replaced by `[redacted]` in git's output before anyone sees
   * it: in the result and in the `GitCommandError` of a failure.
   */
  readonly secrets?: readonly string[];
}

/**
 * Runs `git args` in `cwd` through `runner` and returns what it did. Throws `AbortError` when the
 * signal has fired (before starting git, or while it runs) and `GitCommandError` when the exit
 * code is not one of `accept`. With `secrets`, neither the result nor the error holds any of them.
 */
export async function runChecked(
  runner: GitRunner,
  cwd: string,
  args: readonly string[],
  options: CheckedRunOptions = {},
): Promise<GitRunResult> {
  throwIfAborted(options.signal);
  const raw = await runner.run({
    args,
    cwd,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const secrets = options.secrets ?? [];
  const result =
    secrets.length === 0
      ? raw
      : { ...raw, stdout: redactValues(raw.stdout, secrets), stderr: redactValues(raw.stderr, secrets) };
  if (!(options.accept ?? [0]).includes(result.exitCode)) {
    throw new GitCommandError(args, cwd, result.exitCode, result.stderr);
  }
  return result;
}
