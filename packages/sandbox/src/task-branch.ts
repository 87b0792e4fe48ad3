import type { Git } from "@longshot/git";
import { SandboxError } from "./sandbox-error.js";

/**
 * Points the task branch at `baseCommit` in the orchestrator's repository before a sandbox
 * starts, whether or not an earlier attempt of the same task left it elsewhere: each attempt
 * starts from its own base, and the previous attempt's commit stays recorded in the event log.
 * The move is a compare-and-swap against the value just read, so a branch that changes
 * underneath (another process) is reported rather than clobbered. Returns the previous value
 * (null when the branch did not exist). Throws `SandboxError` (`create-failed`).
 */
export async function startTaskBranch(
  repo: Git,
  branch: string,
  baseCommit: string,
  signal?: AbortSignal,
): Promise<string | null> {
  const options = signal === undefined ? {} : { signal };
  const ref = `refs/heads/${branch}`;
  const previous = await repo.revParse(ref, options);
  if (previous === baseCommit) return previous;
  const outcome = await repo.updateRef(ref, baseCommit, previous, {
    message: "longshot: start of a task attempt",
    ...options,
  });
  if (!outcome.ok) {
    throw new SandboxError(
      "create-failed",
      `Branch ${branch} moved while an attempt was starting (now at ${outcome.actual ?? "nothing"}); another process is using it.`,
      { fields: { branch, actual: outcome.actual } },
    );
  }
  return previous;
}
