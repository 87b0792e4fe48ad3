import type { ProposeFromGoal } from "../file-gap-issue.js";
import type { GapAnalysisProposal } from "../issue-from-gap-analysis.js";

/** How a run the watch loop started or resumed ended. */
export interface WatchRunOutcome {
  readonly runId: string;
  /** `green`, `red`, `stopped`, `failed`. */
  readonly status: string;
  readonly reason: string;
  /** True when the run was stopped part-way (kill switch, time budget, Ctrl+C) and can resume. */
  readonly interrupted: boolean;
  /** The integration branch's head: what a green run publishes. */
  readonly head: string;
  /** The run's Markdown report. */
  readonly report: string;
  readonly costUsd: number;
}

/** A run in flight, as the run store has it. */
export interface WatchRunProgress {
  readonly ended: boolean;
  readonly costUsd: number;
  /** One line for the status comment, such as `4 of 9 tasks landed, 2 running`. */
  readonly text: string;
}

/** What a run needs: its request, the local branch it builds on, its spending cap, a stop signal. */
export interface WatchRunInput {
  readonly baseBranch: string;
  /** MAX_COST_USD of the run; null for none. */
  readonly capUsd: number | null;
  /** Aborting drains the run: attempts finish, state is saved, it can be resumed. */
  readonly stop: AbortSignal;
}

/**
 * Runs longshot for the watch loop (the CLI implements it over the real engine and run store).
 * `start` calls `started` with the run's id before the run records anything, so the loop can
 * write the id down first and a killed process never loses a run.
 */
export interface RunDriver {
  start(
    input: WatchRunInput & { readonly request: string; readonly started: (runId: string) => void },
  ): Promise<WatchRunOutcome>;
  resume(input: WatchRunInput & { readonly runId: string }): Promise<WatchRunOutcome>;
  /** The run's progress, or null when the store has no such run (it never started). */
  progress(runId: string): WatchRunProgress | null;
  /** How an ended run ended, or null when it has not ended. */
  outcome(runId: string): WatchRunOutcome | null;
  /** The tasks that landed in a run, with their handoff summaries (for replies to reviewers). */
  landedTasks(runId: string): readonly { readonly title: string; readonly summary: string }[];
}

/** Gap analysis for the watch loop: the planner's proposal from goal and capabilities, or null. */
export type ProposeGap = ProposeFromGoal<GapAnalysisProposal>;

/** Settings of the watch loop for one repository. */
export interface WatchSettings {
  /** Open issues with this label are built. */
  readonly label: string;
  readonly killLabel: string;
  readonly approvalLabel: string;
  /** The branch pull requests target (GIT_MAIN_BRANCH). */
  readonly baseBranch: string;
  readonly issueBudgetUsd: number | null;
  readonly dailyBudgetUsd: number | null;
  /** MAX_COST_USD: a cap on each run whatever is left of the budgets. */
  readonly runBudgetUsd: number | null;
  readonly autoMerge: boolean;
  readonly capabilitiesPath: string;
  /** GITHUB_GOAL_FILE; null to look for SPEC.md, then GOAL.md. */
  readonly goalPath: string | null;
  readonly maxGapIssues: number;
  /** How often a running run's status comment is refreshed and the kill switch checked. */
  readonly progressEveryMs: number;
}
