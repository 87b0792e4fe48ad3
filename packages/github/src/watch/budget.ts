import type { IssueRecord } from "./watch-journal.js";

/** The cap of the next run, or why no run may start now. */
export type BudgetDecision = { readonly capUsd: number | null } | { readonly wait: string };

/**
 * The spending cap of the next run of `issue`: what is left of the issue's budget (all its runs
 * so far) and of the day's budget (every run started this UTC day, in every issue), and never
 * more than the per-run cap. When either budget is spent, no run starts: the issue waits (for a
 * raised budget, or for the next day).
 */
export function nextRunBudget(
  issue: IssueRecord,
  all: readonly IssueRecord[],
  budgets: {
    readonly issueUsd: number | null;
    readonly dailyUsd: number | null;
    readonly runUsd: number | null;
  },
  now: number,
): BudgetDecision {
  const caps: number[] = [];
  if (budgets.runUsd !== null) caps.push(budgets.runUsd);
  if (budgets.issueUsd !== null) {
    const spent = issue.runs.reduce((sum, run) => sum + run.costUsd, 0);
    const left = budgets.issueUsd - spent;
    if (left <= 0)
      return {
        wait: `Waiting: this issue's budget of $${budgets.issueUsd.toFixed(2)} is spent ($${spent.toFixed(2)}).`,
      };
    caps.push(left);
  }
  if (budgets.dailyUsd !== null) {
    const day = new Date(now);
    const dayStart = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
    const spent = all
      .flatMap((record) => record.runs)
      .filter((run) => run.startedAt >= dayStart)
      .reduce((sum, run) => sum + run.costUsd, 0);
    const left = budgets.dailyUsd - spent;
    if (left <= 0) {
      return {
        wait: `Waiting: today's budget of $${budgets.dailyUsd.toFixed(2)} is spent; runs continue after midnight UTC.`,
      };
    }
    caps.push(left);
  }
  return { capUsd: caps.length === 0 ? null : Math.min(...caps) };
}
