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
  /** The lines of the check's output that matter (see `failureExcerpt`). */
  readonly excerpt: string;
}
