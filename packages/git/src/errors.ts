import { type ErrorFields, InternalError, UserError } from "@longshot/core";

/**
 * A git command failed in a way its caller did not expect. `fields` holds the command line
 * (`command`, `args`), the working directory (`cwd`), the `exitCode` and git's `stderr`.
 */
export class GitCommandError extends InternalError {
  readonly args: readonly string[];
  readonly gitExitCode: number;
  readonly stderr: string;

  constructor(args: readonly string[], cwd: string, gitExitCode: number, stderr: string, cause?: unknown) {
    const summary = stderr.trim().split("\n").slice(-1)[0] ?? "";
    super(
      `git ${args[0] ?? ""} failed with exit code ${gitExitCode}${summary === "" ? "" : `: ${summary}`}`,
      {
        ...(cause === undefined ? {} : { cause }),
        fields: {
          command: ["git", ...args].join(" "),
          args,
          cwd,
          exitCode: gitExitCode,
          stderr,
        } satisfies ErrorFields,
      },
    );
    this.args = args;
    this.gitExitCode = gitExitCode;
    this.stderr = stderr;
  }
}

/** git is missing or too old for what was asked; the message names the version needed. */
export class GitVersionError extends UserError {}

/** A caller passed something git would misread (for example a ref outside `refs/`). */
export class GitUsageError extends InternalError {}

/**
 * A remote operation named a remote the repository does not have (and that is no URL or path
 * either); the message names the fix.
 */
export class MissingRemoteError extends UserError {}
