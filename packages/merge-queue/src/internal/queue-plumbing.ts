import { type CommitInfo, type CommitWriter, type Git, type GitPlumbing, GitUsageError } from "@longshot/git";
import type { HeadState } from "./integrate-one.js";
import { Lineage } from "./lineage.js";
import { pathMerge } from "./path-merge.js";
import { signalOption } from "./signal-option.js";

/**
 * The queue's reads and merges over long-lived git processes: commits come from `cat-file`, and
 * a task that changed only paths the integration head did not change since the task's base is
 * merged path by path (trees read and written through pipes) instead of by `git merge-tree`.
 * Anything else is answered as before, by git.
 */
export class QueuePlumbing {
  readonly #plumbing: GitPlumbing;
  readonly #lineage: Lineage;
  readonly #trees = new Map<string, string>();

  private constructor(plumbing: GitPlumbing) {
    this.#plumbing = plumbing;
    this.#lineage = new Lineage(plumbing);
  }

  /** Null when this git (runner or version) has no long-lived plumbing. */
  static async open(git: Git, signal?: AbortSignal): Promise<QueuePlumbing | null> {
    const plumbing = await git.openPlumbing(signalOption(signal));
    return plumbing === null ? null : new QueuePlumbing(plumbing);
  }

  /** Like `Git.showCommits`: every revision asked for, with its commit or null. */
  async readCommits(revs: readonly string[], signal?: AbortSignal): Promise<Map<string, CommitInfo | null>> {
    const unique = [...new Set(revs)];
    const commits = await Promise.all(
      unique.map((rev) => this.#plumbing.readCommit(rev, signalOption(signal))),
    );
    return new Map(unique.map((rev, index) => [rev, commits[index] ?? null]));
  }

  /** The head state of commit `sha`, or null when it names no commit. */
  async headAt(sha: string, signal?: AbortSignal): Promise<HeadState | null> {
    const commit = await this.#plumbing.readCommit(sha, signalOption(signal));
    return commit === null ? null : { sha: commit.sha, tree: commit.tree };
  }

  /**
   * The tree of `tip` rebased on `head` when the task's base is a recent head and no path it
   * changed was changed on the head since; null when git must merge.
   */
  async quickMerge(head: HeadState, tip: CommitInfo, signal?: AbortSignal): Promise<string | null> {
    await this.#lineage.follow(head.sha, signal);
    const base = await this.#lineage.baseOf(tip, signal);
    if (base === null) return null;
    const baseTree = await this.#treeOf(base, signal);
    if (baseTree === null) return null;
    try {
      return await pathMerge(this.#plumbing, baseTree, head.tree, tip.tree, signal);
    } catch (error) {
      // A tree this reader cannot carry over unchanged (a name that is not UTF-8): git merges it.
      if (error instanceof GitUsageError) return null;
      throw error;
    }
  }

  /**
   * A commit writer storing commits straight in the object directory, or through `fallback`
   * (opened on first need) where git must write them; written commits join what the lineage
   * knows, so following the head onto them reads nothing.
   */
  commitWriter(fallback: () => Promise<CommitWriter>): CommitWriter {
    return {
      write: async (commit, options = {}) => {
        const sha =
          (await this.#plumbing.writeCommit(commit, options)) ??
          (await (await fallback()).write(commit, options));
        this.#lineage.remember({ sha, parents: commit.parents });
        this.#trees.set(sha, commit.tree);
        return sha;
      },
      close: async () => {},
    };
  }

  async close(): Promise<void> {
    await this.#plumbing.close();
  }

  async #treeOf(commit: string, signal: AbortSignal | undefined): Promise<string | null> {
    const known = this.#trees.get(commit);
    if (known !== undefined) return known;
    const info = await this.#plumbing.readCommit(commit, signalOption(signal));
    if (info === null) return null;
    if (this.#trees.size >= 4_096) this.#trees.clear();
    this.#trees.set(commit, info.tree);
    return info.tree;
  }
}
