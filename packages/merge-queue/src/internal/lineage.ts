import type { CommitInfo, GitPlumbing } from "@longshot/git";

/** How far back a walk goes before giving up (and leaving the question to git). */
const maxWalk = 64;
/** Heads kept: a task based on an older one is merged by git. */
const maxChain = 1_024;
/** Parents remembered before the memory starts over. */
const maxRemembered = 16_384;

/**
 * The integration head's recent first-parent history, as the queue has seen it move: enough to
 * tell a task's merge base without asking git, when the task started from one of these heads.
 * With the rebase strategy every landing is a single-parent commit on the head, so a head
 * reached from a task's tip through single-parent commits is the best common ancestor of the tip
 * and the current head.
 */
export class Lineage {
  readonly #plumbing: GitPlumbing;
  readonly #parents = new Map<string, readonly string[]>();
  /** Newest first: the current head, its parent, … */
  #chain: string[] = [];
  #index = new Map<string, number>();

  constructor(plumbing: GitPlumbing) {
    this.#plumbing = plumbing;
  }

  /** Records commits read elsewhere, to save reading them again. */
  remember(commit: Pick<CommitInfo, "sha" | "parents">): void {
    if (this.#parents.size >= maxRemembered) this.#parents.clear();
    this.#parents.set(commit.sha, commit.parents);
  }

  /**
   * Moves the lineage to `head`: the part of the old one that is `head`'s history is kept, the
   * rest (candidates that never landed, a branch moved by someone else) dropped.
   */
  async follow(head: string, signal?: AbortSignal): Promise<void> {
    const at = this.#index.get(head);
    if (at !== undefined) {
      if (at > 0) this.#replace(this.#chain.slice(at));
      return;
    }
    const walked: string[] = [];
    let current: string | undefined = head;
    while (current !== undefined && walked.length < maxWalk) {
      const known = this.#index.get(current);
      if (known !== undefined) {
        this.#replace([...walked, ...this.#chain.slice(known)]);
        return;
      }
      walked.push(current);
      current = (await this.#parentsOf(current, signal))?.[0];
    }
    // Nothing in common (the first head, or a branch moved far): start over from what was read.
    this.#replace(walked);
  }

  /**
   * The head in the lineage that `tip` was built on, reached through single-parent commits
   * only, or null (a merge commit on the way, a base older than the lineage, `tip` itself
   * landed): then git must find the merge base.
   */
  async baseOf(tip: Pick<CommitInfo, "sha" | "parents">, signal?: AbortSignal): Promise<string | null> {
    this.remember(tip);
    if (this.#index.has(tip.sha)) return null;
    let current = tip.sha;
    for (let steps = 0; steps < maxWalk; steps++) {
      const parents = await this.#parentsOf(current, signal);
      if (parents === null || parents.length !== 1) return null;
      const parent = parents[0]!;
      if (this.#index.has(parent)) return parent;
      current = parent;
    }
    return null;
  }

  async #parentsOf(sha: string, signal: AbortSignal | undefined): Promise<readonly string[] | null> {
    const known = this.#parents.get(sha);
    if (known !== undefined) return known;
    const commit = await this.#plumbing.readCommit(sha, signal === undefined ? {} : { signal });
    if (commit === null) return null;
    this.remember(commit);
    return commit.parents;
  }

  #replace(chain: string[]): void {
    this.#chain = chain.slice(0, maxChain);
    this.#index = new Map(this.#chain.map((sha, position) => [sha, position]));
  }
}
