import type { CheckName, HealthCheck } from "@longshot/core";
import type { Failure } from "./failure.js";
import { redSummary } from "./red-summary.js";
import { rootCauses } from "./root-cause.js";

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
  /** The checks as they ran (with their test counts), for reporting. */
  readonly checks: readonly HealthCheck[];
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
  /**
   * Fingerprints of the last sweep's failures that are unfinished work rather than regressions:
   * the check never passed with them in place and tasks that cover them have yet to land. They
   * go to the planner as progress, never to a fix task.
   */
  readonly waiting: ReadonlySet<string>;
  /** Fingerprints of the unfinished work last reported to the planner. */
  readonly reported: ReadonlySet<string>;
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
      /** The first failure of a root cause. */
      readonly failure: Failure;
      /** The other failures with the same root cause (see `rootCauses`), fixed by the same task. */
      readonly related: readonly Failure[];
      readonly culprit: Culprit | null;
      /** 1 for the first fix task of this fingerprint. */
      readonly attempt: number;
    }
  | { readonly kind: "revert-culprit"; readonly fingerprint: string; readonly culprit: Culprit }
  | { readonly kind: "retry-unmerged"; readonly taskIds: readonly string[] }
  /** Failures that wait for planned work: news for the planner, not a fix task. */
  | { readonly kind: "report-unfinished"; readonly failures: readonly Failure[] }
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
  const work = [...fixing.filter((action) => action.kind !== "report-unfinished"), ...retry];
  if (work.length === 0) {
    const waiting = sweep.failures.filter((failure) => observed.waiting.has(failure.fingerprint)).length;
    const why =
      waiting > 0 && waiting === sweep.failures.length
        ? "the failures wait for tasks that did not land"
        : "no fix, revert or retry left to try";
    return red(`${problems(sweep, observed)}: ${why}`);
  }
  return [{ kind: "start-finalization-round", round: observed.finalizationRound + 1 }, ...work];
}

/**
 * Bisections, fix tasks and reverts the last sweep's failures call for: one per root cause of a
 * regression. Failures that wait for planned work are reported to the planner whenever they
 * differ from what it last heard.
 */
function repairs(desired: Desired, observed: Observed): Action[] {
  const sweep = observed.lastSweep;
  if (sweep === null || sweep.green) return [];
  const actions: Action[] = [];
  const waiting = sweep.failures.filter((failure) => observed.waiting.has(failure.fingerprint));
  const news =
    waiting.length !== observed.reported.size ||
    waiting.some((failure) => !observed.reported.has(failure.fingerprint));
  if (waiting.length > 0 && news) actions.push({ kind: "report-unfinished", failures: waiting });
  const regressions = sweep.failures.filter((failure) => !observed.waiting.has(failure.fingerprint));
  for (const cause of rootCauses(regressions)) {
    const decision = decide(desired, observed, sweep, cause);
    if (decision === null) continue;
    const duplicate =
      decision.kind === "revert-culprit" &&
      actions.some(
        (action) => action.kind === "revert-culprit" && action.culprit.sha === decision.culprit.sha,
      );
    if (!duplicate) actions.push(decision);
  }
  return actions;
}

/** What one root cause (its failures, the first leading) calls for, or null while it is handled. */
function decide(
  desired: Desired,
  observed: Observed,
  sweep: Sweep,
  cause: readonly Failure[],
): Action | null {
  const [failure, ...related] = cause as [Failure, ...Failure[]];
  const fixes = observed.fixes.filter((fix) =>
    cause.some((member) => fix.fingerprints.includes(member.fingerprint)),
  );
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
      related,
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
  if (!sweep.green) parts.push(redSummary(sweep.checks, sweep.failures) ?? "red");
  if (observed.unmerged.length > 0) parts.push(`${observed.unmerged.length} tasks unmerged`);
  return parts.join(" and ") || "not green";
}
