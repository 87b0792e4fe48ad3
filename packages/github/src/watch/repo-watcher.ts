import { findRunMarker } from "../run-marker.js";
import { afterMerge } from "./after-merge.js";
import { mergeVerdict } from "./auto-merge.js";
import { nextRunBudget } from "./budget.js";
import { type FeedbackItem, pendingFeedback } from "./feedback.js";
import { buildIssue, finishRun, followUp } from "./run-actions.js";
import type { WatchIssue } from "./watch-api.js";
import { showStatus, type WatchContext } from "./watch-context.js";
import { type IssueRecord, newIssueRecord } from "./watch-journal.js";

/** What one cycle did, for logs and tests. */
export interface CycleReport {
  readonly repository: string;
  /** True when a run was started, resumed or published (the next cycle should follow soon). */
  readonly ran: boolean;
  readonly killed: boolean;
  /** One line per step taken. */
  readonly steps: readonly string[];
}

/**
 * The watch loop for one repository. Each cycle observes GitHub (labelled issues, the kill
 * switch, longshot's pull requests and their reviews) and the journal, then takes the first
 * steps due, in this order: finish an interrupted run; follow up merges and closures; answer
 * new review feedback with a follow-up run; auto-merge; build the oldest waiting issue. At most
 * one run per cycle. Everything it does is recorded before or checked after, so a process
 * killed at any point continues in the next one without doing anything twice.
 */
export class RepoWatcher {
  readonly #context: WatchContext;

  constructor(context: WatchContext) {
    this.#context = context;
  }

  get repository(): string {
    return this.#context.repository;
  }

  async cycle(stop: AbortSignal): Promise<CycleReport> {
    const context = this.#context;
    const steps: string[] = [];
    const report = (ran: boolean, killed: boolean): CycleReport => ({
      repository: context.repository,
      ran,
      killed,
      steps,
    });
    const killed = (await context.api.openWithLabel(context.settings.killLabel, stop)).length > 0;
    const labelled = (await context.api.openWithLabel(context.settings.label, stop)).filter(
      (issue) => !issue.isPull,
    );

    // 1. A run the previous process left unfinished or unpublished.
    for (const record of context.journal.all()) {
      const run = record.runs.find((entry) => !entry.published);
      if (run === undefined) continue;
      if (killed) return report(false, true);
      steps.push(`#${record.number}: finish run ${run.runId}`);
      await finishRun(context, record, run, stop);
      return report(true, killed);
    }

    // 2. Merges and closures of longshot's pull requests; what follows a merge.
    for (const record of context.journal
      .all()
      .filter((entry) => entry.phase === "open" && entry.pull !== null)) {
      const pull = await context.api.pull(record.pull!, stop);
      if (pull.merged) {
        record.phase = "merged";
        steps.push(`#${record.number}: pull request #${pull.number} merged`);
      } else if (pull.state === "closed") {
        record.phase = "closed";
        steps.push(`#${record.number}: pull request #${pull.number} closed`);
      } else continue;
      context.journal.put(record);
      await showStatus(context, record, null, stop);
    }
    if (!killed) {
      for (const record of context.journal.all().filter((entry) => entry.phase === "merged")) {
        if (record.merged?.capabilities === true && record.merged.gap) continue;
        steps.push(`#${record.number}: capabilities and gap analysis`);
        await afterMerge(context, record, stop);
      }
    }

    // 3. Review feedback and auto-merge on open pull requests.
    for (const record of context.journal
      .all()
      .filter((entry) => entry.phase === "open" && entry.pull !== null)) {
      const feedback = pendingFeedback(
        await context.api.reviewItems(record.pull!, stop),
        new Set(record.handledFeedback),
      );
      if (feedback.length > 0) {
        if (killed) continue;
        if (await this.#followUp(record, feedback, stop, steps)) return report(true, killed);
        continue;
      }
      if (context.settings.autoMerge && !killed) await this.#autoMerge(record, stop, steps);
    }

    // 4. Issues to build: retries asked for, then new labelled issues, oldest first.
    const waiting = await this.#waiting(labelled, stop);
    for (const record of waiting) {
      if (killed) {
        await this.#note(
          record,
          `Waiting: the \`${context.settings.killLabel}\` label stops every run.`,
          stop,
        );
        continue;
      }
      const budget = nextRunBudget(record, context.journal.all(), this.#budgets(), context.clock.now());
      if ("wait" in budget) {
        await this.#note(record, budget.wait, stop);
        continue;
      }
      steps.push(`#${record.number}: build`);
      await buildIssue(context, record, budget.capUsd, stop);
      return report(true, killed);
    }
    return report(false, killed);
  }

  /** Records of labelled issues due a build (new ones get a record and a status comment first). */
  async #waiting(labelled: readonly WatchIssue[], stop: AbortSignal): Promise<IssueRecord[]> {
    const context = this.#context;
    const waiting: IssueRecord[] = [];
    for (const issue of labelled) {
      let record = context.journal.get(issue.number);
      if (record === null) {
        // An issue one-shot `longshot github` already built belongs to that mode.
        const comments = await context.api.comments(issue.number, stop);
        if (comments.some((comment) => findRunMarker(comment.body) !== null)) continue;
        record = newIssueRecord(issue);
        context.journal.put(record);
        await showStatus(context, record, null, stop);
      } else if (record.phase === "failed") {
        const retry = (await context.api.comments(issue.number, stop)).filter(
          (comment) =>
            /^\s*\/longshot\s+retry\b/m.test(comment.body) && comment.id > (record?.retryCommentId ?? 0),
        );
        const newest = retry.at(-1);
        if (newest === undefined) continue;
        record = {
          ...record,
          phase: "building",
          retryCommentId: newest.id,
          title: issue.title,
          body: issue.body,
          note: "Retrying, as asked.",
        };
        context.journal.put(record);
      }
      if (record.phase === "building") waiting.push(record);
    }
    return waiting;
  }

  async #followUp(
    record: IssueRecord,
    feedback: readonly FeedbackItem[],
    stop: AbortSignal,
    steps: string[],
  ): Promise<boolean> {
    const context = this.#context;
    const budget = nextRunBudget(record, context.journal.all(), this.#budgets(), context.clock.now());
    if ("wait" in budget) {
      await this.#note(record, budget.wait, stop);
      return false;
    }
    steps.push(`#${record.number}: follow up ${feedback.length} review item(s) on #${record.pull}`);
    await followUp(context, record, feedback, budget.capUsd, stop);
    return true;
  }

  async #autoMerge(record: IssueRecord, stop: AbortSignal, steps: string[]): Promise<void> {
    const context = this.#context;
    const last = record.runs.at(-1);
    if (last === undefined || last.status !== "green" || last.pushed === null) return;
    const pull = await context.api.pull(record.pull!, stop);
    if (pull.draft || pull.headSha !== last.pushed) return;
    const verdict = mergeVerdict(
      pull.baseRef,
      await context.api.requiredChecks(pull.baseRef, stop),
      await context.api.checks(pull.headSha, stop),
    );
    if (!verdict.ok) {
      await this.#note(record, `Auto-merge: ${verdict.reason}.`, stop);
      return;
    }
    const merged = await context.api.merge(pull.number, pull.headSha, stop);
    steps.push(`#${record.number}: auto-merge #${pull.number}: ${merged.merged ? "merged" : merged.reason}`);
    await this.#note(
      record,
      merged.merged ? "Merged: every required check passed." : `Auto-merge refused: ${merged.reason}`,
      stop,
    );
  }

  async #note(record: IssueRecord, note: string, stop: AbortSignal): Promise<void> {
    if (record.note === note) return;
    const updated = { ...record, note };
    this.#context.journal.put(updated);
    await showStatus(this.#context, updated, null, stop);
  }

  #budgets() {
    const { settings } = this.#context;
    return {
      issueUsd: settings.issueBudgetUsd,
      dailyUsd: settings.dailyBudgetUsd,
      runUsd: settings.runBudgetUsd,
    };
  }
}
