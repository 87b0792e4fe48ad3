import { messageOf } from "@longshot/core";
import type { Git, PushOutcome } from "@longshot/git";
import type { IntegrationTarget, TargetSwapOutcome } from "./integration-target.js";
import { signalOption } from "./internal/signal-option.js";

/** Options of {@link RemoteBranchTarget}. */
export interface RemoteBranchTargetOptions {
  /** Remote name, URL or path. */
  readonly remote: string;
  /** Branch on the remote, such as `longshot/r1/integration`. */
  readonly branch: string;
  /** Local ref mirroring the remote branch; default `refs/longshot/remote/<branch>`. */
  readonly trackingRef?: string;
}

/**
 * A branch on a remote (GIT_REPO_URL), moved by `git push --force-with-lease=<ref>:<expected>`,
 * so a concurrent pusher is never overwritten. A push the remote rejects for any other reason,
 * or a network failure, is reported as `failed` and never as moved.
 */
export class RemoteBranchTarget implements IntegrationTarget {
  readonly ref: string;
  readonly remote = true;
  readonly #git: Git;
  readonly #remote: string;
  readonly #trackingRef: string;

  constructor(git: Git, options: RemoteBranchTargetOptions) {
    this.#git = git;
    this.#remote = options.remote;
    this.ref = `refs/heads/${options.branch}`;
    this.#trackingRef = options.trackingRef ?? `refs/longshot/remote/${options.branch}`;
  }

  /** Reads the remote branch and fetches its commit when the local repository lacks it. */
  async head(signal?: AbortSignal): Promise<string | null> {
    const sha = await this.#git.lsRemote(this.#remote, this.ref, signalOption(signal));
    if (sha === null) return null;
    if ((await this.#git.resolveCommit(sha, signalOption(signal))) === null) {
      await this.#git.fetch(this.#remote, [`+${this.ref}:${this.#trackingRef}`], signalOption(signal));
    } else {
      await this.#track(sha, signal);
    }
    return sha;
  }

  async compareAndSwap(
    next: string,
    expected: string | null,
    signal?: AbortSignal,
  ): Promise<TargetSwapOutcome> {
    let pushed: PushOutcome;
    try {
      pushed = await this.#git.push(this.#remote, next, this.ref, { expected, ...signalOption(signal) });
    } catch (error) {
      if (signal?.aborted === true) throw error;
      return { kind: "failed", error: messageOf(error) };
    }
    if (pushed.ok) {
      await this.#track(next, signal);
      return { kind: "moved" };
    }
    let actual: string | null;
    try {
      actual = await this.head(signal);
    } catch (error) {
      if (signal?.aborted === true) throw error;
      return { kind: "failed", error: `${pushed.reason}; then ${messageOf(error)}` };
    }
    return actual === expected ? { kind: "failed", error: pushed.reason } : { kind: "stale", actual };
  }

  async #track(sha: string, signal: AbortSignal | undefined): Promise<void> {
    const current = await this.#git.revParse(this.#trackingRef, signalOption(signal));
    if (current !== sha) await this.#git.updateRef(this.#trackingRef, sha, current, signalOption(signal));
  }
}
