import type { Config } from "@longshot/core";
import type { RunDriver, WatchRunInput, WatchRunOutcome, WatchRunProgress } from "@longshot/github";
import type { SqliteStore } from "@longshot/store";
import type { OutputMode } from "../event-output.js";
import type { Output } from "../output.js";
import { renderMarkdownReport } from "../report/index.js";
import { executeRun, type RunOutcome } from "./run.js";

export interface CliRunDriverOptions {
  readonly config: Config;
  readonly secrets: readonly string[];
  readonly repo: string;
  readonly mode: OutputMode;
  readonly output: Output;
  readonly env: NodeJS.ProcessEnv;
  /** A connection to the repository's run store, for reading progress and outcomes. */
  readonly store: SqliteStore;
}

const endedStatuses = new Set(["green", "red", "failed"]);

/**
 * The watch loop's runs, as `longshot` itself runs them (same checks, sandboxes, engine, lock
 * and reports), on the pull request branch with the budget the loop allows; never landing on
 * the target branch (the loop publishes through pull requests).
 */
export class CliRunDriver implements RunDriver {
  readonly #options: CliRunDriverOptions;

  constructor(options: CliRunDriverOptions) {
    this.#options = options;
  }

  async start(
    input: WatchRunInput & { readonly request: string; readonly started: (runId: string) => void },
  ): Promise<WatchRunOutcome> {
    const outcome = await executeRun({
      ...this.#common(input),
      request: input.request,
      reset: true,
      onStarted: input.started,
    });
    return this.#toOutcome(outcome);
  }

  async resume(input: WatchRunInput & { readonly runId: string }): Promise<WatchRunOutcome> {
    const outcome = await executeRun({ ...this.#common(input), request: null, runId: input.runId });
    return this.#toOutcome(outcome);
  }

  progress(runId: string): WatchRunProgress | null {
    const run = this.#options.store.getRun(runId);
    if (run === null || run.request === "") return null;
    const running = run.tasks.running + run.tasks.review + run.tasks.merging;
    const text = `${run.status}: ${run.tasks.landed} of ${run.taskTotal} task(s) landed${running > 0 ? `, ${running} in progress` : ""}, $${run.costUsd.toFixed(2)} spent`;
    return { ended: isEnded(run.status, run.reason), costUsd: run.costUsd, text };
  }

  outcome(runId: string): WatchRunOutcome | null {
    const run = this.#options.store.getRun(runId);
    if (run === null || !isEnded(run.status, run.reason)) return null;
    return {
      runId,
      status: run.status,
      reason: run.reason ?? "",
      interrupted: false,
      head: run.head ?? run.baseCommit,
      report: renderMarkdownReport(this.#options.store, runId),
      costUsd: run.costUsd,
    };
  }

  landedTasks(runId: string): readonly { readonly title: string; readonly summary: string }[] {
    const store = this.#options.store;
    return store
      .listTasks(runId, { state: "landed" })
      .filter((task) => task.kind !== "critic")
      .map((task) => ({
        title: task.title,
        summary: store.getTask(runId, task.id)?.handoffs.at(-1)?.handoff.summary ?? "",
      }));
  }

  #common(input: WatchRunInput) {
    const { config, secrets, repo, mode, output, env } = this.#options;
    const cap = input.capUsd;
    return {
      config: {
        ...config,
        GIT_MAIN_BRANCH: input.baseBranch,
        MAX_COST_USD: cap === null ? config.MAX_COST_USD : Math.min(cap, config.MAX_COST_USD ?? cap),
      },
      secrets,
      repo,
      mode,
      output,
      env,
      noLanding: true,
      repoGiven: true,
      stopSignal: input.stop,
    };
  }

  #toOutcome(outcome: RunOutcome): WatchRunOutcome {
    return {
      runId: outcome.runId,
      status: outcome.result.status,
      reason: outcome.result.reason,
      interrupted:
        outcome.result.interrupted ||
        (outcome.result.status === "stopped" && !/budget/i.test(outcome.result.reason)),
      head: outcome.result.head,
      report: outcome.reportMarkdown,
      costUsd: this.#options.store.getRun(outcome.runId)?.costUsd ?? 0,
    };
  }
}

/** Whether a run is over for good: green, red or failed, or stopped by its budget (not resumable). */
function isEnded(status: string, reason: string | null): boolean {
  return endedStatuses.has(status) || (status === "stopped" && /budget/i.test(reason ?? ""));
}
