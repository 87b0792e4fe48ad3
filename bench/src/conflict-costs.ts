import type { LongshotEvent } from "@longshot/core";

/** How the conflicts of a run were answered, and what that cost, read from its event log. */
export interface ConflictCosts {
  /** Conflicts the merge queue sent back to their tasks (`merge-conflict` events). */
  readonly conflicts: number;
  /** Landings the queue settled by each of its rules (`merge-auto-resolved`). */
  readonly union: number;
  readonly manifest: number;
  readonly lockfile: number;
  /** Resolution-step calls, and how many of them passed the checks and went to the queue. */
  readonly hunksTried: number;
  readonly hunksResolved: number;
  /** Hunks the resolution step answered in all. */
  readonly hunks: number;
  /** New attempts a conflict cost (the full re-runs). */
  readonly reruns: number;
  /** Tokens (prompt + completion) of the resolution step, and of the re-runs. */
  readonly hunkTokens: number;
  readonly rerunTokens: number;
}

/** Reads the `merge-auto-resolved`, `merge-conflict` and `conflict-resolution` events. */
export function conflictCosts(events: readonly LongshotEvent[]): ConflictCosts {
  const costs = {
    conflicts: 0,
    union: 0,
    manifest: 0,
    lockfile: 0,
    hunksTried: 0,
    hunksResolved: 0,
    hunks: 0,
    reruns: 0,
    hunkTokens: 0,
    rerunTokens: 0,
  };
  for (const event of events) {
    if (event.type === "merge-conflict") costs.conflicts++;
    else if (event.type === "merge-auto-resolved") {
      if (event.rule === "union-of-additions") costs.union++;
      else if (event.rule === "json-manifest") costs.manifest++;
      else costs.lockfile++;
    } else if (event.type === "conflict-resolution") {
      const tokens = event.usage.promptTokens + event.usage.completionTokens;
      if (event.method === "hunks") {
        costs.hunksTried++;
        costs.hunks += event.hunks;
        costs.hunkTokens += tokens;
        if (event.ok) costs.hunksResolved++;
      } else {
        costs.reruns++;
        costs.rerunTokens += tokens;
      }
    }
  }
  return costs;
}
