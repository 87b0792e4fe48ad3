import type { ExecResult, Sandbox } from "@longshot/sandbox";
import type { CheckCommand } from "../check-command.js";

/** Cap on what one command may hold in memory per stream; the model sees far less. */
export const execOutputCap = 262_144;

/** One check's verdict. */
export interface CheckRun {
  readonly check: CheckCommand;
  readonly passed: boolean;
  readonly result: ExecResult;
}

/** Runs the checks in order at the workspace root. Throws `AbortError`, `SandboxError`. */
export async function runChecks(
  sandbox: Sandbox,
  checks: readonly CheckCommand[],
  signal: AbortSignal,
  onActivity: () => void = () => undefined,
): Promise<CheckRun[]> {
  const runs: CheckRun[] = [];
  for (const check of checks) {
    const result = await sandbox.exec({
      command: check.command,
      timeoutMs: check.timeoutMs ?? 600_000,
      signal,
      maxOutputBytes: execOutputCap,
      onStdout: onActivity,
      onStderr: onActivity,
    });
    runs.push({ check, passed: result.exitCode === 0 && !result.timedOut, result });
  }
  return runs;
}

/** A command's result as the model or a handoff reads it. */
export function formatExec(result: ExecResult, timeoutMs: number): string {
  const status = result.timedOut
    ? `timed out after ${Math.round(timeoutMs / 1000)}s (killed)`
    : `exit code ${result.exitCode}`;
  const parts = [status];
  if (result.stdout !== "") parts.push(`--- stdout ---\n${result.stdout}`);
  if (result.stderr !== "") parts.push(`--- stderr ---\n${result.stderr}`);
  return parts.join("\n");
}
