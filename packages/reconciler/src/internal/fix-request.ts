import type { Git } from "@longshot/git";
import type { Failure } from "../failure.js";
import { type FixTaskRequest, fixTaskSpec } from "../fix-task.js";
import { concealHidden } from "../hidden-tests.js";
import type { Action } from "../reconcile.js";
import { isInside } from "../test-files.js";

/**
 * The fix task for a `create-fix-task` action: the culprit's changed files as extra scope, and
 * nothing that names the hidden acceptance tests. When neither the failures nor a culprit name a
 * file, the scope is what changed on the branch since `since` (the last green commit, or the
 * first landing's base), and `**` when even that is unknown: a fix task always has a scope.
 */
export async function fixRequest(
  action: Extract<Action, { kind: "create-fix-task" }>,
  git: Git,
  hiddenPath: string | undefined,
  range: { readonly since: string | null; readonly head: string },
  signal: AbortSignal | undefined,
): Promise<FixTaskRequest> {
  const conceal = (failure: Failure): Failure =>
    hiddenPath === undefined ? failure : concealHidden(failure, hiddenPath);
  const failures: [Failure, ...Failure[]] = [conceal(action.failure), ...action.related.map(conceal)];
  const changed =
    action.culprit === null
      ? []
      : await git.diffNameStatus(
          action.culprit.previous,
          action.culprit.sha,
          signal === undefined ? {} : { signal },
        );
  const culpritFiles = changed
    .map((entry) => entry.path)
    .filter((path) => hiddenPath === undefined || !isInside(path, hiddenPath));
  const visible = (path: string): boolean => hiddenPath === undefined || !isInside(path, hiddenPath);
  const named = failures.some((failure) => failure.files.length > 0) || culpritFiles.length > 0;
  let fallback: string[] = [];
  if (!named && range.since !== null && range.since !== range.head) {
    const since = await git.diffNameStatus(range.since, range.head, signal === undefined ? {} : { signal });
    fallback = since.map((entry) => entry.path).filter(visible);
  }
  return {
    spec: fixTaskSpec(
      failures,
      action.culprit,
      culpritFiles,
      action.attempt,
      fallback.length > 0 ? fallback : ["**"],
    ),
    fingerprint: action.failure.fingerprint,
    fingerprints: [action.failure, ...action.related].map((failure) => failure.fingerprint),
    culprit: action.culprit,
    failures,
    attempt: action.attempt,
  };
}
