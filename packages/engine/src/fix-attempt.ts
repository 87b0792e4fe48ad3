import { type AttemptOutcome, messageOf } from "@longshot/core";
import type { AttemptReport, HealthPort } from "./ports.js";
import type { TaskView } from "./run-state.js";

/** Outcomes after which an unchanged fix attempt is worth a second look at the branch. */
const settledOutcomes: ReadonlySet<AttemptOutcome> = new Set(["complete", "partial", "blocked", "failed"]);

/** Most characters of failure output handed to the next attempt. */
const maxOutputChars = 6_000;

/** What the review needs of the worker: the health port's recheck and the task's signal. */
export interface FixReviewContext {
  readonly health: Pick<HealthPort, "recheckFix"> | null;
  readonly signal: AbortSignal;
}

export interface UnchangedFix {
  readonly report: AttemptReport;
  /** Set when the failures are gone from the branch: the task ends as not needed any more. */
  readonly notNeeded: string | null;
}

/**
 * A fix attempt that changed nothing is not simply a failure: when the failures it was made for
 * no longer show on the integration branch (another landing fixed them), the task is no longer
 * needed; when they still show, the attempt failed and the next one gets the current failure
 * output (and, failing, flips to the other model). Other attempts pass through unchanged.
 */
export async function reviewUnchangedFix(
  context: FixReviewContext,
  view: TaskView,
  report: AttemptReport,
): Promise<UnchangedFix> {
  const recheck = context.health?.recheckFix;
  if (
    view.task.kind !== "fix" ||
    report.commit !== null ||
    !settledOutcomes.has(report.outcome) ||
    !recheck
  ) {
    return { report, notNeeded: null };
  }
  try {
    const found = await recheck.call(context.health, view.task, context.signal);
    const at = found.commit.slice(0, 10);
    if (!found.failing) {
      const reason = `no longer needed: the failures it was made for no longer show at ${at}`;
      return { report: { ...report, outcome: "complete", reason }, notNeeded: reason };
    }
    const output =
      found.output.length > maxOutputChars ? `${found.output.slice(0, maxOutputChars)}\n…` : found.output;
    return {
      report: {
        ...report,
        outcome: "failed",
        reason: `The attempt changed nothing, and the failures still show at ${at}:\n${output}`,
      },
      notNeeded: null,
    };
  } catch (error) {
    if (context.signal.aborted) return { report, notNeeded: null };
    return {
      report: { ...report, reason: `${report.reason} (recheck failed: ${messageOf(error)})` },
      notNeeded: null,
    };
  }
}
