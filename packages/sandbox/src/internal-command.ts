import { AbortError } from "@longshot/core";
import { SandboxError } from "./sandbox-error.js";

/** Timeout of a remote provider's internal command (probe, listing, git plumbing) that names none: two minutes. */
export const defaultInternalTimeoutMs = 120_000;

/**
 * Fails an internal command that did not run to its end: throws `AbortError` when its signal
 * stopped it, and `SandboxError` (`exec-failed`, naming the program) when its timeout did.
 * Returns for a command that ended by itself, whatever its exit code.
 */
export function throwIfStopped(stop: "timeout" | "abort" | undefined, argv: readonly string[]): void {
  if (stop === "abort") throw new AbortError();
  if (stop === "timeout") {
    throw new SandboxError("exec-failed", `${argv[0] ?? "A command"} did not finish inside the sandbox.`);
  }
}
