import { CheckNameSchema, type HealthCheck, messageOf, type NewEvent } from "@longshot/core";
import { failureExcerpt, isTestFile, parseTestCounts } from "@longshot/reconciler";
import type { Sandbox } from "@longshot/sandbox";
import type { AttemptReport } from "./ports.js";

/** One of the project's checks as the worker's sandbox runs it. */
export interface AttemptCheck {
  readonly name: string;
  readonly command: string;
}

/** Per check; the attempt's own signal (WORKER_TIMEOUT) bounds the whole. */
const checkTimeoutMs = 10 * 60_000;
const maxOutputBytes = 1_048_576;

/** Test runners that take test files as arguments, so a task's own tests can be run alone. */
const narrowable = /^(node --test|(npx |pnpm (exec )?|yarn )?(vitest run|jest|mocha)|(python -m )?pytest)\b/;

/**
 * The test command for a task's own tests: the runner given just the test files the attempt
 * changed, when the command is a known runner called plainly; the whole command otherwise.
 */
export function taskTestCommand(command: string, changed: readonly string[]): string {
  const tests = changed.filter(isTestFile);
  if (tests.length === 0 || !narrowable.test(command.trim()) || /[;&|<>`$()]/.test(command)) return command;
  const quoted = tests.map((file) => `'${file.replace(/'/g, "'\\''")}'`);
  return `${command.trim()} ${quoted.join(" ")}`;
}

/**
 * Runs the project's checks (build, typecheck, lint, the task's tests) on the attempt's commit
 * in the attempt's own sandbox, in order, before it is torn down, so the judge reviews with proof.
 * A check whose name is not a known check is skipped. Throws AbortError when `signal` aborts.
 */
export async function runAttemptChecks(
  sandbox: Sandbox,
  checks: readonly AttemptCheck[],
  changed: readonly string[],
  signal: AbortSignal,
): Promise<HealthCheck[]> {
  const results: HealthCheck[] = [];
  for (const check of checks) {
    const name = CheckNameSchema.safeParse(check.name);
    if (!name.success) continue;
    const command = name.data === "test" ? taskTestCommand(check.command, changed) : check.command;
    const result = await sandbox.exec({ command, timeoutMs: checkTimeoutMs, signal, maxOutputBytes });
    const output = [result.stdout, result.stderr].filter((text) => text !== "").join("\n");
    const ok = result.exitCode === 0 && !result.timedOut;
    results.push({
      name: name.data,
      command,
      ok,
      durationMs: result.durationMs,
      counts: name.data === "test" ? parseTestCounts(output) : null,
      excerpt: ok ? "" : `${result.timedOut ? "timed out\n" : ""}${failureExcerpt(output)}`,
    });
  }
  return results;
}

/** "build pass · test FAIL (2 failed, 10 passed)": the checks as a verdict cites them. */
export function describeChecks(checks: readonly HealthCheck[]): string {
  return checks
    .map((check) => {
      const counts =
        check.counts === null ? "" : ` (${check.counts.failed} failed, ${check.counts.passed} passed)`;
      return `${check.name} ${check.ok ? "pass" : "FAIL"}${counts}`;
    })
    .join(" · ");
}

/** What `checkAttempt` needs of the worker: the engine's check list and judge, and its log. */
export interface AttemptCheckContext {
  readonly deps: { readonly attemptChecks?: readonly AttemptCheck[]; readonly judge: object | null };
  readonly engine: { append(event: NewEvent): unknown };
}

/**
 * The checks of a finished attempt for its review, recorded as a log line; an empty list when
 * no judge will read them or the sandbox could not run them (the reconciler's sweeps still do).
 */
export async function checkAttempt(
  context: AttemptCheckContext,
  sandbox: Sandbox,
  taskId: string,
  attempt: number,
  report: AttemptReport,
  signal: AbortSignal,
): Promise<HealthCheck[]> {
  const { deps, engine } = context;
  const checks = deps.attemptChecks ?? [];
  // Work handed off, or an attempt that found nothing to change: either way the judge decides.
  const reviewed =
    (report.commit !== null && (report.outcome === "complete" || report.outcome === "partial")) ||
    (report.commit === null && report.outcome === "complete");
  if (deps.judge === null || !reviewed || checks.length === 0) return [];
  try {
    const results = await runAttemptChecks(sandbox, checks, report.handoff?.filesChanged ?? [], signal);
    engine.append({
      type: "log",
      level: "info",
      message: `${taskId} attempt ${attempt} checks in its sandbox: ${describeChecks(results)}`,
      taskId,
    });
    return results;
  } catch (error) {
    // Stopped (WORKER_TIMEOUT, a cancellation): the attempt's own outcome says so, not this.
    if (signal.aborted) return [];
    engine.append({
      type: "log",
      level: "warn",
      message: `${taskId} attempt ${attempt}: the checks could not run in its sandbox (${messageOf(error)})`,
      taskId,
    });
    return [];
  }
}
