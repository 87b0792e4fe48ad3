import type { HealthCheck } from "@longshot/core";
import type { Failure } from "./failure.js";

/**
 * What is red, counted the way the tools count it: a test runner's own failure count when its
 * summary gave one (`test: 174 failing tests`), otherwise the distinct failures found in the
 * output (`build: 2 failures`). Null when every check passed.
 */
export function redSummary(checks: readonly HealthCheck[], failures: readonly Failure[]): string | null {
  const parts = checks
    .filter((check) => !check.ok)
    .map((check) => {
      const counted = check.counts?.failed ?? 0;
      if (counted > 0) return `${check.name}: ${counted} failing test${counted === 1 ? "" : "s"}`;
      const found = failures.filter((failure) => failure.check === check.name).length;
      return found === 0
        ? `${check.name}: failing`
        : `${check.name}: ${found} failure${found === 1 ? "" : "s"}`;
    });
  return parts.length === 0 ? null : `red (${parts.join("; ")})`;
}
