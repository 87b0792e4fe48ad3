import type { CheckResult } from "./watch-api.js";

/** Whether a pull request may be merged now, or why not. */
export type MergeVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Auto-merge's rule: the base branch must require at least one check (no required checks means
 * nothing vouches for the change, so longshot does not merge), and every required check must
 * have completed successfully on the pull request's head.
 */
export function mergeVerdict(
  base: string,
  required: readonly string[],
  checks: readonly CheckResult[],
): MergeVerdict {
  if (required.length === 0) {
    return {
      ok: false,
      reason: `${base} requires no status checks, so auto-merge waits for a person (require checks in branch protection to allow it)`,
    };
  }
  for (const name of required) {
    const found = checks.filter((check) => check.name === name);
    if (found.length === 0) return { ok: false, reason: `waiting for the required check ${name}` };
    if (found.some((check) => check.done && !check.ok))
      return { ok: false, reason: `the required check ${name} failed` };
    if (found.some((check) => !check.done))
      return { ok: false, reason: `waiting for the required check ${name}` };
  }
  return { ok: true };
}
