import type { Git, LogEntry, NameStatusEntry } from "@longshot/git";
import { signalOption } from "./internal/signal-option.js";
import type { MergeResult } from "./types.js";

/** A conflicted file as the merge left it: contents with conflict markers, or null when deleted. */
export interface ConflictedFile {
  readonly path: string;
  readonly content: string | null;
}

/** What a conflict-resolution attempt needs to know about a conflict. */
export interface ConflictReport {
  readonly files: readonly ConflictedFile[];
  /** Where the task and the integration branch parted (null: no common history). */
  readonly base: string | null;
  /** What landed on the integration branch since then: commits, newest first, and paths changed. */
  readonly headCommits: readonly LogEntry[];
  readonly headChanges: readonly NameStatusEntry[];
  /** The task's own change since the fork point, as a unified diff. */
  readonly taskDiff: string;
}

/**
 * Gathers the conflicted files (from the conflicted tree `merge-tree` wrote, never from a branch),
 * the other side's change summary and the task's previous diff, for a conflict-resolution attempt.
 */
export async function describeConflict(
  git: Git,
  conflict: Extract<MergeResult, { kind: "conflict" }>,
  options: { readonly signal?: AbortSignal } = {},
): Promise<ConflictReport> {
  const signal = signalOption(options.signal);
  const files: ConflictedFile[] = [];
  for (const path of conflict.files) {
    files.push({ path, content: await git.readFile(conflict.tree, path, signal) });
  }
  const base = await git.mergeBase(conflict.head, conflict.tip, signal);
  if (base === null) return { files, base, headCommits: [], headChanges: [], taskDiff: "" };
  return {
    files,
    base,
    headCommits: await git.log(base, conflict.head, signal),
    headChanges: await git.diffNameStatus(base, conflict.head, signal),
    taskDiff: await git.diff(base, conflict.tip, signal),
  };
}
