/** Structured, machine-readable details attached to an error. */
export type ErrorFields = Readonly<Record<string, unknown>>;

/**
 * Base of every error longshot throws on purpose. `exitCode` is what the CLI exits with when
 * the error reaches it: 2 for a user's mistake, 1 for everything else.
 */
export class LongshotError extends Error {
  readonly fields: ErrorFields;
  readonly exitCode: number;

  constructor(message: string, options: { cause?: unknown; fields?: ErrorFields; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.fields = options.fields ?? {};
    this.exitCode = options.exitCode ?? 1;
  }
}

/**
 * A mistake the user can fix: bad input, bad configuration, a missing file. The message is one
 * sentence that says what is wrong and how to fix it. The CLI prints it and exits with code 2.
 */
export class UserError extends LongshotError {
  constructor(message: string, options: { cause?: unknown; fields?: ErrorFields } = {}) {
    super(message, { ...options, exitCode: 2 });
  }
}

/** Several user errors found together (for example every invalid variable of a config). */
export class UserErrors extends UserError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options: { cause?: unknown; fields?: ErrorFields } = {}) {
    super(problems.join("\n"), options);
    this.problems = problems;
  }
}

/** A bug or an unexpected failure of the machine; exit code 1. */
export class InternalError extends LongshotError {}

/**
 * The machine refused what longshot needs (a full disk, a read-only file system), known and
 * said in one sentence with what to do: not a bug, so no stack trace; exit code 1.
 */
export class EnvironmentError extends LongshotError {}

/** Raised when an operation is cancelled through its AbortSignal. */
export class AbortError extends LongshotError {
  constructor(message = "The operation was cancelled.", options: { cause?: unknown } = {}) {
    super(message, { ...options, exitCode: 130 });
  }
}

/** Exhaustiveness check for discriminated unions: the compiler proves this is unreachable. */
export function assertNever(value: never, message = "Unexpected value"): never {
  throw new InternalError(`${message}: ${JSON.stringify(value)}`);
}

/** Throws an AbortError when the signal is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new AbortError(undefined, { cause: signal.reason });
  }
}

/** Exit code for any thrown value: the error's own code, 1 otherwise. */
export function exitCodeOf(error: unknown): number {
  return error instanceof LongshotError ? error.exitCode : 1;
}

/** The message of any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
