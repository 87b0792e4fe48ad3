import { type ErrorFields, LongshotError } from "@longshot/core";

/** Why a sandbox operation failed. */
export type SandboxErrorReason =
  | "not-found"
  | "not-a-file"
  | "not-a-directory"
  | "bad-pattern"
  | "destroyed"
  | "idle-timeout"
  | "wall-timeout"
  | "create-failed"
  | "commit-failed"
  | "export-failed"
  | "move-failed"
  | "exec-failed"
  | "path-escape"
  | "command-refused";

/**
 * A sandbox operation failed in a way an agent can be told about: the message is one clear
 * sentence suitable as a tool result. `reason` is machine-readable.
 */
export class SandboxError extends LongshotError {
  readonly reason: SandboxErrorReason;

  constructor(
    reason: SandboxErrorReason,
    message: string,
    options: { cause?: unknown; fields?: ErrorFields } = {},
  ) {
    super(message, { ...options, fields: { reason, ...options.fields } });
    this.reason = reason;
  }
}

/**
 * A guard refused an operation: a path outside the workspace (`path-escape`) or a plainly
 * destructive command (`command-refused`). Nothing was executed or written.
 */
export class GuardError extends SandboxError {
  constructor(
    reason: "path-escape" | "command-refused",
    message: string,
    options: { cause?: unknown; fields?: ErrorFields } = {},
  ) {
    super(reason, message, options);
  }
}

/** The error for an operation on a sandbox that is gone, naming why it went. */
export function destroyedError(
  sandboxId: string,
  why: "destroyed" | "idle-timeout" | "wall-timeout",
): SandboxError {
  const sentence =
    why === "destroyed"
      ? "was destroyed"
      : why === "idle-timeout"
        ? "was destroyed after its idle timeout"
        : "was destroyed when its wall-clock timeout ran out";
  return new SandboxError(why, `Sandbox ${sandboxId} ${sentence}; no further operations are possible.`, {
    fields: { sandboxId },
  });
}
