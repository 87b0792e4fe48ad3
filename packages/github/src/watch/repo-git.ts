import { InternalError } from "@longshot/core";
import { Git, type GitRunner, type Identity, type PushOutcome } from "@longshot/git";
import { commitFile, fetchBranch } from "../git-remote-ops.js";
import { pushBranch } from "../push-branch.js";

/** Options of {@link RepoGit}. */
export interface RepoGitOptions {
  readonly repoPath: string;
  /** Remote that is the GitHub repository; default `origin`. */
  readonly remote?: string;
  readonly token: string;
  readonly runner: GitRunner;
  /** Author of longshot's own commits (the capabilities file). */
  readonly identity: Identity;
}

/**
 * The git side of the watch loop for one clone: pull request branches mirrored into local
 * branches (never checked out, so nothing the user sees moves), pushes by compare-and-swap, and
 * commits written without a checkout. The token reaches only the git processes that talk to
 * GitHub, through their environment.
 */
export class RepoGit {
  readonly #options: RepoGitOptions;
  readonly #git: Git;

  constructor(options: RepoGitOptions) {
    this.#options = options;
    this.#git = new Git(options.repoPath, { runner: options.runner });
  }

  get #remote(): string {
    return this.#options.remote ?? "origin";
  }

  /** The commit `branch` has on GitHub now (also stored in `refs/remotes/<remote>/<branch>`), or null. */
  async remoteHead(branch: string, signal: AbortSignal): Promise<string | null> {
    return fetchBranch(this.#remoteOptions(signal), branch, `refs/remotes/${this.#remote}/${branch}`);
  }

  /**
   * Makes the local branch `branch` the base of the next run: GitHub's version of it when it
   * exists there (a pull request branch, with anything people pushed to it), else `base`'s head
   * on GitHub. Returns that commit and whether the branch existed on GitHub.
   */
  async prepareBase(
    branch: string,
    base: string,
    signal: AbortSignal,
  ): Promise<{ head: string; existed: boolean }> {
    const existing = await this.remoteHead(branch, signal);
    const head = existing ?? (await this.remoteHead(base, signal));
    if (head === null) throw new InternalError(`${base} does not exist on ${this.#remote}`);
    const ref = `refs/heads/${branch}`;
    const before = await this.#git.revParse(ref, { signal });
    const moved = await this.#git.updateRef(ref, head, before, { signal, message: "longshot watch" });
    if (!moved.ok) throw new InternalError(`${ref} moved while the watch loop set it to ${head}`);
    return { head, existed: existing !== null };
  }

  /**
   * Pushes `commit` to `branch` on GitHub only as a fast-forward of what is there now (or as a
   * new branch): work someone else pushed is never overwritten. Pushing a commit that is already
   * there is a success, so a retried publication does nothing twice.
   */
  async fastForward(commit: string, branch: string, signal: AbortSignal): Promise<PushOutcome> {
    const current = await this.remoteHead(branch, signal);
    if (current === commit) return { ok: true };
    if (current !== null && !(await this.isAncestor(current, commit, signal))) {
      return {
        ok: false,
        reason: `${branch} moved on GitHub to ${current.slice(0, 10)}, which this work does not contain`,
      };
    }
    return this.#push(commit, branch, { expected: current }, signal);
  }

  /** Pushes `commit` to `branch` whatever is there (for longshot's own side branches). */
  async forcePush(commit: string, branch: string, signal: AbortSignal): Promise<PushOutcome> {
    return this.#push(commit, branch, { force: true }, signal);
  }

  /** Pushes `commit` to `branch` on GitHub with the token, as a lease or by force. */
  #push(
    commit: string,
    branch: string,
    how: { readonly expected: string | null } | { readonly force: true },
    signal: AbortSignal,
  ): Promise<PushOutcome> {
    return pushBranch({
      repoPath: this.#options.repoPath,
      remote: this.#remote,
      branch: commit,
      remoteBranch: branch,
      token: this.#options.token,
      ...how,
      runner: this.#options.runner,
      signal,
    });
  }

  /** True when `ancestor` is `descendant` or one of its ancestors. */
  isAncestor(ancestor: string, descendant: string, signal: AbortSignal): Promise<boolean> {
    return this.#git.isAncestor(ancestor, descendant, { signal });
  }

  /** `<short sha> <subject>` of the commits in `from..to`, oldest first. */
  async commits(from: string | null, to: string, signal: AbortSignal): Promise<string[]> {
    const log = await this.#git.log(from, to, { signal });
    return log.reverse().map((entry) => `${entry.sha.slice(0, 10)} ${entry.subject}`);
  }

  /** `path` at `rev`, or null when it is not there. */
  readFile(rev: string, path: string, signal: AbortSignal): Promise<string | null> {
    return this.#git.readFile(rev, path, { signal });
  }

  /** A commit on top of `parent` setting `path` to `content`; no ref moves. */
  async commitFile(
    parent: string,
    path: string,
    content: string,
    message: string,
    signal: AbortSignal,
  ): Promise<string> {
    return commitFile(
      { repoPath: this.#options.repoPath, runner: this.#options.runner, signal },
      { parent, path, content, message, author: this.#options.identity },
    );
  }

  #remoteOptions(signal: AbortSignal) {
    return {
      repoPath: this.#options.repoPath,
      remote: this.#remote,
      token: this.#options.token,
      runner: this.#options.runner,
      signal,
    };
  }
}
