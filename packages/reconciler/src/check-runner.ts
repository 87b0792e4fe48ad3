import { AbortError, type CheckName, type HealthCheck } from "@longshot/core";
import type { Sandbox } from "@longshot/sandbox";
import type { CheckCommand, CheckPlan } from "./check-plan.js";
import { failureExcerpt } from "./failure-excerpt.js";
import { parseTestCounts } from "./test-counts.js";

/** One check's result and its output (stdout and stderr interleaved, capped), for failure extraction. */
export interface CheckOutcome {
  readonly check: HealthCheck;
  readonly output: string;
}

/** Options of {@link runCheckCommand} and {@link runCheckPlan}. */
export interface CheckRunOptions {
  /** Per command; the whole process tree is killed after it. Default 30 minutes. */
  readonly timeoutMs?: number | undefined;
  /** Output kept per command (head and tail); default 2 MiB. */
  readonly maxOutputBytes?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Default timeout of one check command. */
export const defaultCheckTimeoutMs = 30 * 60_000;

/**
 * Runs one check command in a sandbox, in its workspace root, with stderr merged into stdout so
 * the output keeps the order things happened in. A failing exit code or a timeout is a failed
 * check, never an error; throws only what `Sandbox.exec` throws for a gone sandbox or an abort.
 */
export async function runCheckCommand(
  sandbox: Sandbox,
  check: CheckCommand,
  options: CheckRunOptions = {},
): Promise<CheckOutcome> {
  const timeoutMs = options.timeoutMs ?? defaultCheckTimeoutMs;
  const result = await sandbox.exec({
    command: `exec 2>&1\n${check.command}`,
    timeoutMs,
    maxOutputBytes: options.maxOutputBytes ?? 2 * 1_048_576,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (options.signal?.aborted)
    throw new AbortError("The check was cancelled.", { cause: options.signal.reason });
  const output = `${result.stdout}${result.stderr}`;
  const ok = result.exitCode === 0 && !result.timedOut;
  const counts = check.name === "test" || check.name === "acceptance" ? parseTestCounts(output) : null;
  const timedOut = result.timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s\n` : "";
  return {
    check: {
      name: check.name,
      command: check.command,
      ok,
      durationMs: result.durationMs,
      counts,
      excerpt: ok ? "" : `${timedOut}${failureExcerpt(output)}`,
    },
    output: result.timedOut ? `${output}\nerror: timed out` : output,
  };
}

/**
 * Runs a check plan in a sandbox, in order: the install step when `install` is true and the
 * plan has one, the build, then the other checks (or with `only` just that one, after its
 * prerequisites); the first failure stops the rest. The sandbox should be at the commit to
 * check. Reusable wherever checks must run on agent-written code: the reconciler's sweeps, the
 * merge gate, a judge checking an attempt in the attempt's own sandbox.
 */
export async function runCheckPlan(
  sandbox: Sandbox,
  plan: CheckPlan,
  options: CheckRunOptions & { readonly install?: boolean; readonly only?: CheckName } = {},
): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  const failed = (): boolean => outcomes.some((outcome) => !outcome.check.ok);
  if (options.install !== false && plan.install !== null) {
    outcomes.push(await runCheckCommand(sandbox, plan.install, options));
  }
  const build = plan.checks.find((check) => check.name === "build");
  if (!failed() && build !== undefined) outcomes.push(await runCheckCommand(sandbox, build, options));
  for (const check of plan.checks) {
    if (failed() || check.name === "build") continue;
    if (options.only !== undefined && check.name !== options.only) continue;
    outcomes.push(await runCheckCommand(sandbox, check, options));
  }
  return outcomes;
}
