import { assertNever } from "@longshot/core";
import type { CommitInfo, CommitWriter, Git, GitRunner, Identity } from "@longshot/git";
import type { MergeRequest, MergeStrategy } from "../types.js";
import { withTaskTrailer } from "./commit-message.js";
import { resolveAdditions } from "./resolve-additions.js";
import { signalOption } from "./signal-option.js";

/** The integration head a candidate is built on. */
export interface HeadState {
  readonly sha: string;
  readonly tree: string;
}

/** What integrating one request onto a head gives, before any ref moves. */
export type Integration =
  | { readonly kind: "advance"; readonly head: HeadState }
  | { readonly kind: "unchanged" }
  | {
      readonly kind: "conflict";
      readonly files: readonly string[];
      readonly tree: string;
      readonly tip: string;
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
  /** Resolve conflicts where both sides only added lines by keeping both (see resolveAdditions). */
  readonly unionAdditions?: GitRunner;
  /** A merge without git when no path changed on both sides (QueuePlumbing.quickMerge); null: ask git. */
  readonly quickMerge?: (head: HeadState, tip: CommitInfo) => Promise<string | null>;
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
  if (tip.sha === head.sha) return { kind: "unchanged" };
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

function advanceTo(commit: CommitInfo): Integration {
  return { kind: "advance", head: { sha: commit.sha, tree: commit.tree } };
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
  if (await context.git.isAncestor(tip.sha, head.sha, options)) return { kind: "unchanged" };
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
  const merged = await mergedTree(context, head, tip);
  if (merged.kind === "conflict")
    return { kind: "conflict", files: merged.files, tree: merged.tree, tip: tip.sha };
  if (merged.tree === head.tree) return { kind: "unchanged" };
  if (merged.tree === tip.tree && (await context.git.isAncestor(head.sha, tip.sha, options)))
    return advanceTo(tip);
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
  return { kind: "advance", head: { sha, tree: merged.tree } };
}

async function mergeCommit(
  context: IntegrateContext,
  head: HeadState,
  tip: CommitInfo,
  request: MergeRequest,
): Promise<Integration> {
  const options = signalOption(context.signal);
  const merged = await mergedTree(context, head, tip);
  if (merged.kind === "conflict")
    return { kind: "conflict", files: merged.files, tree: merged.tree, tip: tip.sha };
  if (merged.tree === head.tree && (await context.git.isAncestor(tip.sha, head.sha, options))) {
    return { kind: "unchanged" };
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
  return { kind: "advance", head: { sha, tree: merged.tree } };
}

/** `merge-tree` of head and tip; a conflict of pure additions is resolved when enabled. */
async function mergedTree(
  context: IntegrateContext,
  head: HeadState,
  tip: CommitInfo,
): Promise<{ kind: "clean"; tree: string } | { kind: "conflict"; files: readonly string[]; tree: string }> {
  const quick = await context.quickMerge?.(head, tip);
  if (quick !== undefined && quick !== null) return { kind: "clean", tree: quick };
  const merged = await context.git.mergeTree(head.sha, tip.sha, signalOption(context.signal));
  if (merged.kind !== "conflict" || context.unionAdditions === undefined) return merged;
  const tree = await resolveAdditions(
    context.git,
    context.unionAdditions,
    head.sha,
    tip.sha,
    merged,
    context.signal,
  );
  return tree === null ? merged : { kind: "clean", tree };
}
