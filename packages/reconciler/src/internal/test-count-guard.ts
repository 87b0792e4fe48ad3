import type { HealthCheck } from "@longshot/core";
import type { CheckRun } from "../check-workspace.js";
import { extractFailures } from "../extract-failures.js";
import type { Failure } from "../failure.js";
import { inspectTestCounts } from "../tamper-guard.js";

/** A test check that ran tests in the previous sweep and none now fails, whatever its exit code. */
export function guardTestCounts(
  previous: readonly HealthCheck[],
  run: CheckRun,
): { checks: HealthCheck[]; failures: Failure[] } {
  const before = previous.find((check) => check.name === "test")?.counts ?? null;
  const checks = run.checks.map((check) => {
    if (check.name !== "test" || !check.ok) return check;
    const finding = inspectTestCounts(before, check.counts);
    return finding === null ? check : { ...check, ok: false, excerpt: finding.detail };
  });
  const extra = checks
    .filter((check, index) => check !== run.checks[index])
    .flatMap((check) => extractFailures(check, `error: ${check.excerpt}`));
  return { checks, failures: [...run.failures, ...extra] };
}
