import type { CheckName } from "@longshot/core";
import type { Failure } from "./failure.js";

/** The landing that broke a check: the integration head it produced and the one before. */
export interface Culprit {
  readonly sha: string;
  /** Head before the landing (its first parent when unknown). */
  readonly previous: string;
  /** The task that landed, when known. */
  readonly taskId: string | null;
}

/** A completed health sweep of one integration commit. */
export interface Sweep {
  /** Increases by one per sweep. */
  readonly id: number;
  readonly commit: string;
  readonly green: boolean;
  readonly failures: readonly Failure[];
}

/** A fix task the reconciler created, and whether it is still open. */
export interface FixTaskRecord {
  readonly taskId: string;
  /** Fingerprints it was created for (a failure and the related ones in the same file). */
  readonly fingerprints: readonly string[];
  readonly open: boolean;
  /**
   * Id of the newest sweep that had started before the task closed (null while open): a sweep
   * with a larger id saw the code after the fix, a sweep with this id or less did not.
   */
  readonly closedAfterSweep: number | null;
}

/** Policy: what "keep it green" is allowed to do. */
export interface Desired {
  /** Fix tasks per fingerprint before the culprit is reverted. */
  readonly maxFixAttempts: number;
  /** Finalization rounds before the run is reported red. */
  readonly finalizationMaxAttempts: number;
}

/** What the loop saw just now. */
export interface Observed {
  readonly head: string;
  /** The head moved since the last sweep started, or a sweep was asked for. */
  readonly sweepDue: boolean;
  readonly lastSweep: Sweep | null;
  /** Newest swept commit that was green. */
  readonly lastGreen: string | null;
  readonly fixes: readonly FixTaskRecord[];
  /** Bisection results by fingerprint; null means bisected without finding a culprit. */
  readonly culprits: ReadonlyMap<string, Culprit | null>;
  /** Culprit shas already reverted (or found impossible to revert). */
  readonly reverted: ReadonlySet<string>;
  /** Finalization was asked for (every planned task is done). */
  readonly finalizing: boolean;
  /** Every task, fix tasks included, is in a terminal state and the merge queue is empty. */
  readonly settled: boolean;
  /** Tasks whose finished work has not landed. */
  readonly unmerged: readonly string[];
  /** Finalization rounds started so far. */
  readonly finalizationRound: number;
}

export type Action =
  | { readonly kind: "run-sweep" }
  | {
      readonly kind: "bisect";
      readonly fingerprint: string;
      readonly check: CheckName;
      readonly good: string;
      readonly bad: string;
    }
  | {
      readonly kind: "create-fix-task";
      readonly failure: Failure;
      /** Other new failures of the same check and file, fixed by the same task. */
      readonly related: readonly Failure[];
      readonly culprit: Culprit | null;
      /** 1 for the first fix task of this fingerprint. */
      readonly attempt: number;
    }
  | { readonly kind: "revert-culprit"; readonly fingerprint: string; readonly culprit: Culprit }
  | { readonly kind: "retry-unmerged"; readonly taskIds: readonly string[] }
  | { readonly kind: "start-finalization-round"; readonly round: number }
  | { readonly kind: "finalize-green"; readonly commit: string }
  | {
      readonly kind: "finalize-red";
      readonly commit: string;
      readonly reason: string;
      readonly failures: readonly Failure[];
      readonly unmerged: readonly string[];
    };

/**
 * Level-triggered control of the integration branch: compares what should hold (green, every
 * task landed) with what was observed and returns the actions that move toward it. Pure, so it
 * is safe to call again after a crash or on every tick; an action already under way shows up in
 * `observed` (an open fix task, a recorded culprit) and is not asked for twice.
 */
export function reconcile(desired: Desired, observed: Observed): Action[] {
  const fixing = repairs(desired, observed);
  if (!observed.finalizing) return observed.sweepDue ? [...fixing, { kind: "run-sweep" }] : fixing;
  if (!observed.settled) return fixing;
  const sweep = observed.lastSweep;
  if (sweep === null || sweep.commit !== observed.head || observed.sweepDue) return [{ kind: "run-sweep" }];
  if (sweep.green && observed.unmerged.length === 0)
    return [{ kind: "finalize-green", commit: sweep.commit }];
  const red = (reason: string): Action[] => [
    {
      kind: "finalize-red",
      commit: sweep.commit,
      reason,
      failures: sweep.failures,
      unmerged: observed.unmerged,
    },
  ];
  if (observed.finalizationRound >= desired.finalizationMaxAttempts) {
    return red(`still ${problems(sweep, observed)} after ${observed.finalizationRound} finalization rounds`);
  }
  const bisections = fixing.filter((action) => action.kind === "bisect");
  if (bisections.length > 0) return bisections;
  const retry: Action[] =
    observed.unmerged.length > 0 ? [{ kind: "retry-unmerged", taskIds: observed.unmerged }] : [];
  const work = [...fixing, ...retry];
  if (work.length === 0) return red(`${problems(sweep, observed)} and no fix, revert or retry left to try`);
  return [{ kind: "start-finalization-round", round: observed.finalizationRound + 1 }, ...work];
}

/** Bisections, fix tasks and reverts the last sweep's failures call for. */
function repairs(desired: Desired, observed: Observed): Action[] {
  const sweep = observed.lastSweep;
  if (sweep === null || sweep.green) return [];
  const actions: Action[] = [];
  const claimed = new Set<string>();
  for (const failure of sweep.failures) {
    if (claimed.has(failure.fingerprint)) continue;
    const decision = decide(desired, observed, sweep, failure);
    if (decision === null) continue;
    if (decision.kind === "create-fix-task") {
      const related = sweep.failures.filter(
        (other) =>
          other !== failure &&
          !claimed.has(other.fingerprint) &&
          other.check === failure.check &&
          other.file !== null &&
          other.file === failure.file &&
          decide(desired, observed, sweep, other)?.kind === "create-fix-task",
      );
      for (const entry of [failure, ...related]) claimed.add(entry.fingerprint);
      actions.push({ ...decision, related });
    } else {
      claimed.add(failure.fingerprint);
      if (
        !actions.some(
          (action) =>
            action.kind === "revert-culprit" &&
            decision.kind === "revert-culprit" &&
            action.culprit.sha === decision.culprit.sha,
        )
      ) {
        actions.push(decision);
      }
    }
  }
  return actions;
}

function decide(desired: Desired, observed: Observed, sweep: Sweep, failure: Failure): Action | null {
  const fixes = observed.fixes.filter((fix) => fix.fingerprints.includes(failure.fingerprint));
  if (fixes.some((fix) => fix.open)) return null;
  if (fixes.some((fix) => fix.closedAfterSweep !== null && fix.closedAfterSweep >= sweep.id)) return null;
  const culprit = observed.culprits.get(failure.fingerprint);
  if (fixes.length < desired.maxFixAttempts) {
    if (culprit === undefined && observed.lastGreen !== null && observed.lastGreen !== sweep.commit) {
      return {
        kind: "bisect",
        fingerprint: failure.fingerprint,
        check: failure.check,
        good: observed.lastGreen,
        bad: sweep.commit,
      };
    }
    return {
      kind: "create-fix-task",
      failure,
      related: [],
      culprit: culprit ?? null,
      attempt: fixes.length + 1,
    };
  }
  if (culprit != null && !observed.reverted.has(culprit.sha)) {
    return { kind: "revert-culprit", fingerprint: failure.fingerprint, culprit };
  }
  return null;
}

function problems(sweep: Sweep, observed: Observed): string {
  const parts: string[] = [];
  if (!sweep.green) {
    const checks = [...new Set(sweep.failures.map((failure) => failure.check))];
    parts.push(`red (${checks.join(", ") || "checks failing"}: ${sweep.failures.length} failures)`);
  }
  if (observed.unmerged.length > 0) parts.push(`${observed.unmerged.length} tasks unmerged`);
  return parts.join(" and ") || "not green";
}
