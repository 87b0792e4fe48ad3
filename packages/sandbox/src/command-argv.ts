import type { ExecOptions } from "./sandbox.js";
import { SandboxError } from "./sandbox-error.js";

/**
 * The argv an exec runs in a sandbox image with bash (Docker, E2B): `command` through
 * `/bin/bash -c`, or `argv` as given. Throws `SandboxError` (`exec-failed`) unless exactly
 * one of `command` and a non-empty `argv` is given.
 */
export function commandArgv(options: ExecOptions): string[] {
  if (options.command !== undefined && options.argv === undefined)
    return ["/bin/bash", "-c", options.command];
  if (options.argv !== undefined && options.command === undefined && options.argv.length > 0)
    return [...options.argv];
  throw new SandboxError("exec-failed", "Give exactly one of command and argv (a non-empty list).");
}
