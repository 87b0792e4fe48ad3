import type { Git, GitPlumbing } from "@longshot/git";
import type { IntegrationTarget, TargetSwapOutcome } from "./integration-target.js";
import { signalOption } from "./internal/signal-option.js";

const message = "longshot: merge queue";

/**
 * A branch of the local repository, moved with `git update-ref <ref> <new> <expected>`: through
 * a long-lived `update-ref --stdin` (and read through `cat-file`) when the git runner offers
 * them, else one git process each time.
 */
export class LocalBranchTarget implements IntegrationTarget {
  readonly ref: string;
  readonly remote = false;
  readonly #git: Git;
  #plumbing: Promise<GitPlumbing | null> | undefined;

  /** `branch` is a short branch name such as `longshot/r1/integration`. */
  constructor(git: Git, branch: string) {
    this.#git = git;
    this.ref = `refs/heads/${branch}`;
  }

  async head(signal?: AbortSignal): Promise<string | null> {
    const plumbing = await this.#plumbingOf(signal);
    if (plumbing === null) return this.#git.revParse(this.ref, signalOption(signal));
    return plumbing.resolve(this.ref, signalOption(signal));
  }

  async compareAndSwap(
    next: string,
    expected: string | null,
    signal?: AbortSignal,
  ): Promise<TargetSwapOutcome> {
    const plumbing = await this.#plumbingOf(signal);
    const options = { message, ...signalOption(signal) };
    const outcome =
      plumbing === null
        ? await this.#git.updateRef(this.ref, next, expected, options)
        : await plumbing.updateRef(this.ref, next, expected, options);
    return outcome.ok ? { kind: "moved" } : { kind: "stale", actual: outcome.actual };
  }

  #plumbingOf(signal: AbortSignal | undefined): Promise<GitPlumbing | null> {
    if (this.#plumbing === undefined) {
      const opening = this.#git.openPlumbing(signalOption(signal));
      this.#plumbing = opening;
      opening.catch(() => {
        if (this.#plumbing === opening) this.#plumbing = undefined;
      });
    }
    return this.#plumbing;
  }
}
