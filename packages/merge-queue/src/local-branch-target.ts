import type { Git } from "@longshot/git";
import type { IntegrationTarget, TargetSwapOutcome } from "./integration-target.js";
import { signalOption } from "./internal/signal-option.js";

/** A branch of the local repository, moved with `git update-ref <ref> <new> <expected>`. */
export class LocalBranchTarget implements IntegrationTarget {
  readonly ref: string;
  readonly remote = false;
  readonly #git: Git;

  /** `branch` is a short branch name such as `longshot/r1/integration`. */
  constructor(git: Git, branch: string) {
    this.#git = git;
    this.ref = `refs/heads/${branch}`;
  }

  head(signal?: AbortSignal): Promise<string | null> {
    return this.#git.revParse(this.ref, signalOption(signal));
  }

  async compareAndSwap(
    next: string,
    expected: string | null,
    signal?: AbortSignal,
  ): Promise<TargetSwapOutcome> {
    const outcome = await this.#git.updateRef(this.ref, next, expected, {
      message: "longshot: merge queue",
      ...signalOption(signal),
    });
    return outcome.ok ? { kind: "moved" } : { kind: "stale", actual: outcome.actual };
  }
}
