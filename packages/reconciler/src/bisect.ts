import { throwIfAborted } from "@longshot/core";
import { firstParentCommits, type GitRunner } from "@longshot/git";
import type { Culprit } from "./reconcile.js";

/** A landing on the integration branch: the head it produced and the head before it. */
export interface Landing {
  readonly taskId: string;
  readonly sha: string;
  readonly previous: string;
}

/**
 * Binary search for the first bad commit. `candidates` are ordered oldest first, the commit
 * before the first is known good and the last is known bad (so it is not tested). Asks `isBad`
 * about O(log n) commits; returns null when there are no candidates.
 */
export async function bisect(
  candidates: readonly string[],
  isBad: (commit: string) => Promise<boolean>,
  signal?: AbortSignal,
): Promise<string | null> {
  if (candidates.length === 0) return null;
  let good = -1;
  let bad = candidates.length - 1;
  while (bad - good > 1) {
    throwIfAborted(signal);
    const middle = Math.floor((good + bad) / 2);
    if (await isBad(candidates[middle]!)) bad = middle;
    else good = middle;
  }
  return candidates[bad]!;
}

export interface FindCulpritOptions {
  readonly runner: GitRunner;
  /** The repository. */
  readonly repoPath: string;
  /** Last commit the check passed on. */
  readonly good: string;
  /** A commit it fails on (a descendant of `good` along the first-parent line). */
  readonly bad: string;
  /** Known landings; when given, only the heads they produced are tested. */
  readonly landings?: readonly Landing[];
  /** Whether the failure shows at a commit (run the failing check there). */
  readonly isBad: (commit: string) => Promise<boolean>;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Finds the landing that broke a check between `good` and `bad`, bisecting over the integration
 * branch's first-parent commits (restricted to landing heads when landings are known, so a
 * rebased multi-commit landing counts as one). Null when `bad` is not after `good`.
 */
export async function findCulprit(options: FindCulpritOptions): Promise<Culprit | null> {
  const line = await firstParentCommits(options.repoPath, options.good, options.bad, {
    runner: options.runner,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (line.length === 0) return null;
  const heads = new Map((options.landings ?? []).map((landing) => [landing.sha, landing]));
  const candidates = heads.size === 0 ? line : line.filter((sha) => heads.has(sha) || sha === options.bad);
  const found = await bisect(candidates, options.isBad, options.signal);
  if (found === null) return null;
  const landing = heads.get(found);
  if (landing !== undefined) return { sha: found, previous: landing.previous, taskId: landing.taskId };
  const index = candidates.indexOf(found);
  const before = index > 0 ? candidates[index - 1]! : options.good;
  const owner = [...heads.values()].find((entry) => entry.previous === before);
  return { sha: found, previous: before, taskId: owner?.taskId ?? null };
}
