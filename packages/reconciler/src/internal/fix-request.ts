import type { Git } from "@longshot/git";
import type { Failure } from "../failure.js";
import { type FixTaskRequest, fixTaskSpec } from "../fix-task.js";
import { concealHidden } from "../hidden-tests.js";
import type { Action } from "../reconcile.js";
import { isInside } from "../test-files.js";

/**
 * The fix task for a `create-fix-task` action: the culprit's changed files as extra scope, and
 * nothing that names the hidden acceptance tests.
 */
export async function fixRequest(
  action: Extract<Action, { kind: "create-fix-task" }>,
  git: Git,
  hiddenPath: string | undefined,
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
  return {
    spec: fixTaskSpec(failures, action.culprit, culpritFiles, action.attempt),
    fingerprint: action.failure.fingerprint,
    fingerprints: [action.failure, ...action.related].map((failure) => failure.fingerprint),
    culprit: action.culprit,
    failures,
    attempt: action.attempt,
  };
}
