import {
  type Git,
  type GitRunner,
  type Identity,
  mergeInWorktree,
  type WorktreeMergeOutcome,
} from "@longshot/git";
import type { Culprit } from "./reconcile.js";

export type RevertOutcome =
  /** `sha` is the new head of the branch, a commit undoing the culprit's changes. */
  | { readonly kind: "reverted"; readonly sha: string; readonly previousHead: string }
  /** Later work changed the same lines; nothing moved. */
  | { readonly kind: "conflict"; readonly files: readonly string[] }
  /** The branch moved while the revert was prepared; nothing moved, try again. */
  | { readonly kind: "moved"; readonly actual: string | null };

export interface RevertOptions {
  readonly git: Git;
  readonly runner: GitRunner;
  /** Full ref of the integration branch (`refs/heads/...`). */
  readonly ref: string;
  readonly culprit: Culprit;
  readonly identity: Identity;
  readonly reason: string;
  /**
   * A worktree the reconciler owns, needed on git older than 2.40 (no `merge-tree --merge-base`):
   * the revert is merged there with `git merge-recursive`, then committed from its index.
   */
  readonly worktree: { readonly path: string; checkout(commit: string, signal?: AbortSignal): Promise<void> };
  readonly signal?: AbortSignal | undefined;
}

/**
 * Undoes a landing (every change from `culprit.previous` to `culprit.sha`) as a new commit on
 * top of the branch head, then moves the branch by compare-and-swap. The user's checkout is never
 * touched. Conflicts and lost races are outcomes, not errors.
 */
export async function revertLanding(options: RevertOptions): Promise<RevertOutcome> {
  const { git, culprit, signal } = options;
  const signalOption = signal === undefined ? {} : { signal };
  const head = await git.revParse(options.ref, signalOption);
  if (head === null) return { kind: "moved", actual: null };
  const version = await git.version(signalOption);
  const merged = version.capabilities.mergeTreeMergeBase
    ? await git.mergeTree(head, culprit.previous, { mergeBase: culprit.sha, ...signalOption })
    : await mergeInCheckout(options, head);
  if (merged.kind === "conflict") return { kind: "conflict", files: merged.files };
  const task = culprit.taskId === null ? "" : ` of ${culprit.taskId}`;
  const message = `Revert the landing${task} (${culprit.sha.slice(0, 12)})\n\n${options.reason}\n\nThis undoes ${culprit.previous}..${culprit.sha}.`;
  const sha = await git.commitTree(merged.tree, [head], message, options.identity, signalOption);
  const moved = await git.updateRef(options.ref, sha, head, {
    message: "longshot: revert culprit",
    ...signalOption,
  });
  return moved.ok ? { kind: "reverted", sha, previousHead: head } : { kind: "moved", actual: moved.actual };
}

/** git 2.39: a three-way merge of head with the culprit's parent, based on the culprit, in the worktree. */
async function mergeInCheckout(options: RevertOptions, head: string): Promise<WorktreeMergeOutcome> {
  const { culprit, signal } = options;
  await options.worktree.checkout(head, signal);
  return mergeInWorktree(options.worktree.path, culprit.sha, culprit.previous, {
    runner: options.runner,
    ...(signal === undefined ? {} : { signal }),
  });
}
