import type { CheckName } from "@longshot/core";

/**
 * One distinct problem a failing health check reported. Failures with the same fingerprint are
 * the same problem, whatever commit, sweep, temp directory or line number they were seen at.
 */
export interface Failure {
  /** `<check>:<12 hex>` over the check, file, test, error code and message shape. */
  readonly fingerprint: string;
  readonly check: CheckName;
  readonly command: string;
  /** Repository-relative file the problem is in, when the output names one. */
  readonly file: string | null;
  readonly test: string | null;
  /** Compiler or linter code (`TS2322`, `E0308`, `no-unused-vars`). */
  readonly code: string | null;
  /** The message with numbers, positions, temp paths and hex ids replaced. */
  readonly message: string;
  /**
   * Repository-relative files the failure's own output names: its file first, then the files of
   * its stack trace and import errors (dependencies and the runtime left out). Not part of the
   * fingerprint.
   */
  readonly files: readonly string[];
  /**
   * What went wrong, from the output under the failure's header (an error line such as
   * `TypeError: median is not a function`), normalized; null when the output says nothing more.
   * Not part of the fingerprint.
   */
  readonly cause: string | null;
  /** The lines of the check's output that matter (see `failureExcerpt`). */
  readonly excerpt: string;
}
