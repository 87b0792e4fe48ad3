import { assertNever } from "@longshot/core";
import type { CommitInfo, CommitWriter, Git, GitRunner, Identity } from "@longshot/git";
import type { AutoResolution, MergeRequest, MergeStrategy, RegenerateLockfiles } from "../types.js";
import { withTaskTrailer } from "./commit-message.js";
import { type ResolveContext, resolveConflict, reviewCleanMerge } from "./resolve-additions.js";
import { signalOption } from "./signal-option.js";

/** The integration head a candidate is built on. */
export interface HeadState {
  readonly sha: string;
  readonly tree: string;
}

/** What integrating one request onto a head gives, before any ref moves. */
export type Integration =
  | { readonly kind: "advance"; readonly head: HeadState; readonly resolved: readonly AutoResolution[] }
  | { readonly kind: "unchanged"; readonly resolved: readonly AutoResolution[] }
  | {
      readonly kind: "conflict";
      readonly files: readonly string[];
      readonly tree: string;
      readonly tip: string;
      readonly detail: string | null;
    }
  | { readonly kind: "not-fast-forward"; readonly tip: string }
  | { readonly kind: "missing" };

/** Everything {@link integrateOne} needs besides the head and the request. */
export interface IntegrateContext {
  readonly git: Git;
  readonly writer: CommitWriter;
  readonly strategy: MergeStrategy;
  readonly committer: Identity;
  /** Date of created commits, from the queue's clock, so the same inputs give the same commit. */
  readonly date: Date;
  /**
   * Set: conflicts the queue can settle on its own are resolved (docs/decisions/0003): runs git
   * with a private index, and regenerates lockfiles when `regenerateLockfiles` is given.
   */
  readonly autoResolve?: { readonly runner: GitRunner; readonly regenerateLockfiles?: RegenerateLockfiles };
  readonly signal?: AbortSignal;
}

/**
 * Computes the commit that lands `request` (whose tip commit is `tip`) on `head` without touching a working tree or a ref:
 * `merge-tree --write-tree` for the result, a commit writer for the commit. Rebase on git without
 * `replay` squashes the task's work into one commit on the head (docs/decisions/0002).
 */
export async function integrateOne(
  context: IntegrateContext,
  head: HeadState | null,
  request: MergeRequest,
  tip: CommitInfo | null,
): Promise<Integration> {
  if (tip === null) return { kind: "missing" };
  if (head === null) return advanceTo(tip);
  if (tip.sha === head.sha) return { kind: "unchanged", resolved: [] };
  switch (context.strategy) {
    case "fast-forward":
      return fastForward(context, head, tip);
    case "rebase":
      return rebase(context, head, tip, request);
    case "merge-commit":
      return mergeCommit(context, head, tip, request);
    default:
      return assertNever(context.strategy, "Unknown merge strategy");
  }
}

function advanceTo(commit: CommitInfo, resolved: readonly AutoResolution[] = []): Integration {
  return { kind: "advance", head: { sha: commit.sha, tree: commit.tree }, resolved };
}

async function fastForward(
  context: IntegrateContext,
  head: HeadState,
  tip: CommitInfo,
): Promise<Integration> {
  const options = signalOption(context.signal);
  if (tip.parents.includes(head.sha) || (await context.git.isAncestor(head.sha, tip.sha, options))) {
    return advanceTo(tip);
  }
  if (await context.git.isAncestor(tip.sha, head.sha, options)) return { kind: "unchanged", resolved: [] };
  return { kind: "not-fast-forward", tip: tip.sha };
}

async function rebase(
  context: IntegrateContext,
  head: HeadState,
  tip: CommitInfo,
  request: MergeRequest,
): Promise<Integration> {
  const options = signalOption(context.signal);
  // Already based on the head: replaying is a no-op, so the task's own commits land as they are.
  if (tip.parents.length === 1 && tip.parents[0] === head.sha) return advanceTo(tip);
  const merged = await mergedTree(context, head, tip, request);
  if (merged.kind === "conflict") return merged;
  const { resolved } = merged;
  if (merged.tree === head.tree) return { kind: "unchanged", resolved };
  if (merged.tree === tip.tree && (await context.git.isAncestor(head.sha, tip.sha, options)))
    return advanceTo(tip, resolved);
  const message = withTaskTrailer(request.message ?? tip.message, request.taskId);
  const sha = await context.writer.write(
    {
      tree: merged.tree,
      parents: [head.sha],
      message,
      author: request.author ?? tip.author,
      committer: context.committer,
      date: context.date,
    },
    options,
  );
  return { kind: "advance", head: { sha, tree: merged.tree }, resolved };
}

async function mergeCommit(
  context: IntegrateContext,
  head: HeadState,
  tip: CommitInfo,
  request: MergeRequest,
): Promise<Integration> {
  const options = signalOption(context.signal);
  const merged = await mergedTree(context, head, tip, request);
  if (merged.kind === "conflict") return merged;
  const { resolved } = merged;
  if (merged.tree === head.tree && (await context.git.isAncestor(tip.sha, head.sha, options))) {
    return { kind: "unchanged", resolved };
  }
  const message = withTaskTrailer(
    request.message ?? `Merge ${request.taskId}: ${tip.subject}`,
    request.taskId,
  );
  const sha = await context.writer.write(
    {
      tree: merged.tree,
      parents: [head.sha, tip.sha],
      message,
      author: context.committer,
      date: context.date,
    },
    options,
  );
  return { kind: "advance", head: { sha, tree: merged.tree }, resolved };
}

type MergedTree =
  | { readonly kind: "clean"; readonly tree: string; readonly resolved: readonly AutoResolution[] }
  | Extract<Integration, { kind: "conflict" }>;

/**
 * `merge-tree` of head and tip. With auto-resolution on, a conflict the queue can settle is
 * resolved, and a clean merge that kept a line both sides added is written without the copy.
 */
async function mergedTree(
  context: IntegrateContext,
  head: HeadState,
  tip: CommitInfo,
  request: MergeRequest,
): Promise<MergedTree> {
  const auto = context.autoResolve;
  // Messages name the files both sides changed, which is all the review of a clean merge needs.
  const merged = await context.git.mergeTree(head.sha, tip.sha, {
    ...signalOption(context.signal),
    messages: auto !== undefined,
  });
  if (auto === undefined) {
    if (merged.kind === "clean") return { kind: "clean", tree: merged.tree, resolved: [] };
    return { kind: "conflict", files: merged.files, tree: merged.tree, tip: tip.sha, detail: null };
  }
  const resolveContext: ResolveContext = {
    git: context.git,
    runner: auto.runner,
    writer: context.writer,
    committer: context.committer,
    date: context.date,
    ...(auto.regenerateLockfiles === undefined ? {} : { regenerateLockfiles: auto.regenerateLockfiles }),
    ...signalOption(context.signal),
  };
  const subject = { taskId: request.taskId, attempt: request.attempt };
  if (merged.kind === "clean") {
    const reviewed = await reviewCleanMerge(resolveContext, subject, head.sha, tip.sha, merged);
    if (reviewed === null) return { kind: "clean", tree: merged.tree, resolved: [] };
    if (reviewed.kind === "resolved")
      return { kind: "clean", tree: reviewed.tree, resolved: reviewed.resolutions };
    return {
      kind: "conflict",
      files: reviewed.files,
      tree: merged.tree,
      tip: tip.sha,
      detail: reviewed.detail,
    };
  }
  const resolution = await resolveConflict(resolveContext, subject, head.sha, tip.sha, merged);
  if (resolution.kind === "resolved")
    return { kind: "clean", tree: resolution.tree, resolved: resolution.resolutions };
  return {
    kind: "conflict",
    files: [...new Set([...merged.files, ...resolution.files])],
    tree: merged.tree,
    tip: tip.sha,
    detail: resolution.detail,
  };
}
