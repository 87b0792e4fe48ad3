import { type AttemptOutcome, checkTransition, messageOf, zeroUsage } from "@longshot/core";
import type { Sandbox } from "@longshot/sandbox";
import { checkAttempt } from "./attempt-checks.js";
import { ConflictTurn, recordRerun, resolveAtHunkSize } from "./conflict-path.js";
import { reviewUnchangedFix } from "./fix-attempt.js";
import { cleanHandoff } from "./handoff-findings.js";
import type { AttemptReport, HealthPort, PlannerPort } from "./ports.js";
import type { AttemptView, TaskView } from "./run-state.js";
import { type RoutedSandbox, routeTask } from "./sandbox-routes.js";
import type { WorkerDeps, WorkerHost } from "./worker-host.js";

export interface WorkerContext {
  readonly engine: WorkerHost;
  readonly deps: WorkerDeps;
  readonly planner: PlannerPort;
  readonly health: HealthPort | null;
  /** Aborted when the run aborts or the task is cancelled. */
  readonly signal: AbortSignal;
}

/** Outcomes after which the next attempt switches to the other model of the worker pair. */
const flipOutcomes: ReadonlySet<AttemptOutcome> = new Set([
  "failed",
  "rejected",
  "timeout",
  "stuck",
  "blocked",
]);

/**
 * The model for the next attempt: the alternate after a failure or rejection, else the same. An
 * attempt that failed before its sandbox was ready says nothing about its model.
 */
export function chooseModel(previous: AttemptView | undefined, primary: string, alternate: string): string {
  if (!previous) return primary;
  const failed =
    previous.outcome !== null &&
    (previous.verdict?.accepted === false || (flipOutcomes.has(previous.outcome) && previous.sandboxReady));
  if (!failed) return previous.model;
  return previous.model === primary ? alternate : primary;
}

/** What the next attempt is told about the previous one. */
function feedbackFor(view: TaskView): string | null {
  const previous = view.attempts.at(-1);
  if (!previous) return null;
  if (previous.verdict && !previous.verdict.accepted)
    return `The reviewer rejected attempt ${previous.number}: ${previous.verdict.feedback}`;
  if (previous.outcome === "conflict") {
    return `Attempt ${previous.number} conflicted with work that landed meanwhile in: ${view.conflictFiles.join(", ")}. Start from the current code and redo the change so it fits.`;
  }
  // Accepted work that did not land (a merge gate, a failed push) or was reverted later.
  if (previous.verdict?.accepted && view.sentBack !== null)
    return `Attempt ${previous.number} was accepted, then sent back: ${view.sentBack}`;
  if (previous.outcome && previous.outcome !== "complete")
    return `Attempt ${previous.number} ended ${previous.outcome}: ${previous.reason}`;
  return null;
}

/**
 * One unit of worker-pool work for a task: run an attempt in a fresh sandbox, have it reviewed,
 * and land it. A task found in `merging` (after a crash) skips straight to landing its last
 * commit. Every step is an event appended before the next one starts.
 */
export async function runWorker(context: WorkerContext, taskId: string): Promise<void> {
  const { engine } = context;
  const view = engine.state.tasks.get(taskId);
  if (!view) return;
  if (view.task.state === "merging") {
    const last = view.attempts.at(-1);
    if (last?.commit) await land(context, view, last.number, last.commit);
    else engine.transition(taskId, "ready", "nothing to land after an interruption");
    return;
  }
  // Dispatched, then queued for a worker slot until the stop came: it never started, so it waits.
  if (engine.state.draining) {
    engine.transition(taskId, "ready", "not started: the run is stopping");
    return;
  }
  const fallback = { sandboxes: context.deps.sandboxes, limits: context.deps.settings.sandboxLimits };
  const routed = routeTask(view.task, fallback, context.deps.routes ?? []);
  if ("problem" in routed) {
    failTask(context, view, routed.problem);
    return;
  }
  const report = await attempt(context, view, routed);
  const number = view.attempts.at(-1)?.number ?? 1;
  if (context.signal.aborted) {
    settleCancelled(context, view);
    return;
  }
  if (report.notNeeded !== null) {
    engine.transition(taskId, "cancelled", report.notNeeded);
    return;
  }
  if (report.outcome === "budget") {
    // A task over its own cap (TASK_MAX_*, counted across its attempts) can do no more: it goes
    // to the planner and the run goes on. Only the run's own budgets stop the run.
    if (view.attempts.at(-1)?.refusedBy === "task") {
      failTask(context, view, `over the task's own budget: ${report.reason}`);
      return;
    }
    engine.stopForBudget(`budget reached: ${report.reason}`);
    retryOrFail(context, view, report.reason);
    return;
  }
  // A critic's work is its report; it never goes to the judge or the merge queue.
  if (view.task.kind === "critic" && engine.critics !== null) {
    engine.critics.settle(view, number, report);
    return;
  }
  // An attempt that found its work already done is reviewed like any other; accepted, the task
  // is done with nothing to land. (A harness whose commit failed reports the attempt failed.)
  const unchanged = report.outcome === "complete" && report.commit === null;
  if (((report.outcome === "complete" || report.outcome === "partial") && report.commit) || unchanged) {
    const handedOff = unchanged ? "found nothing to change" : "handed off";
    engine.transition(taskId, "review", `attempt ${number} ${handedOff}`);
    const accepted = await review(context, view, number, report);
    if (context.signal.aborted) {
      settleCancelled(context, view);
      return;
    }
    if (!accepted) {
      retryOrFail(context, view, "the reviewer rejected the work");
      return;
    }
    engine.transition(taskId, "merging", "accepted");
    if (report.commit) await land(context, view, number, report.commit);
    else doneWithoutLanding(context, view);
    return;
  }
  retryOrFail(context, view, report.reason);
}

/** Accepted work that changed nothing: done, with no landing to record or to count. */
function doneWithoutLanding(context: WorkerContext, view: TaskView): void {
  const { engine } = context;
  engine.transition(view.task.id, "landed", "nothing to land: its work is already on the integration branch");
  void engine.withPlanner(() =>
    context.planner
      .update(
        {
          taskId: view.task.id,
          outcome: "landed",
          handoff: view.attempts.at(-1)?.handoff ?? null,
          reason: "already done",
        },
        engine.runSignal,
      )
      .catch(() => undefined),
  );
}

async function attempt(
  context: WorkerContext,
  view: TaskView,
  routed: RoutedSandbox,
): Promise<AttemptReport & { readonly notNeeded: string | null }> {
  const { engine, deps } = context;
  const taskId = view.task.id;
  const number = view.attempts.length + 1;
  const { workerModel, altWorkerModel, fixerModel, workerTimeoutMs } = deps.settings;
  const critic = view.task.kind === "critic" ? (engine.critics?.model ?? workerModel) : null;
  const primary = critic ?? (view.task.kind === "fix" ? fixerModel : workerModel);
  const model = chooseModel(view.attempts.at(-1), primary, critic ?? altWorkerModel);
  const feedback = feedbackFor(view);
  const conflictFiles = view.attempts.at(-1)?.outcome === "conflict" ? view.conflictFiles : [];
  const baseCommit = engine.state.head;
  engine.append({
    type: "attempt-start",
    taskId,
    attempt: number,
    model,
    harness: deps.harness.name,
    sandbox: routed.sandboxes.name,
    baseCommit,
  });
  // WORKER_TIMEOUT tears the sandbox down, not just the process inside it.
  const timeout = AbortSignal.timeout(workerTimeoutMs);
  const signal = AbortSignal.any([context.signal, timeout]);
  let sandbox: Sandbox | null = null;
  let report: AttemptReport;
  try {
    const started = deps.clock.now();
    sandbox = await routed.sandboxes.create({
      repoPath: deps.repoPath,
      baseCommit,
      runId: engine.runId,
      taskId,
      branch: view.task.branch,
      limits: routed.limits,
      signal,
    });
    engine.append({
      type: "sandbox-create",
      taskId,
      sandbox: sandbox.id,
      provider: sandbox.provider,
      readyMs: deps.clock.now() - started,
    });
    report = await deps.harness.run({
      runId: engine.runId,
      task: view.task,
      attempt: number,
      model,
      role: view.task.kind === "fix" ? "fixer" : "worker",
      sandbox,
      feedback,
      conflictFiles,
      signal,
      emit: (event) => engine.append(event),
    });
    // The judge reviews with proof: the checks run on the attempt's commit, in its own sandbox.
    report = { ...report, checks: await checkAttempt(context, sandbox, taskId, number, report, signal) };
  } catch (error) {
    const outcome: AttemptOutcome = timeout.aborted
      ? "timeout"
      : context.signal.aborted
        ? "cancelled"
        : "failed";
    report = { outcome, handoff: null, commit: null, reason: messageOf(error), usage: zeroUsage };
  } finally {
    if (sandbox) {
      const id = sandbox.id;
      await sandbox.destroy().catch((error: unknown) => {
        deps.logger.warn({ taskId, sandbox: id, error: messageOf(error) }, "sandbox destroy failed");
      });
      engine.append({ type: "sandbox-destroy", taskId, sandbox: id });
    }
  }
  if (timeout.aborted && report.outcome !== "complete") {
    report = {
      ...report,
      outcome: "timeout",
      reason: `WORKER_TIMEOUT of ${Math.round(workerTimeoutMs / 1000)} s reached`,
    };
  }
  const unchanged = await reviewUnchangedFix(context, view, report);
  report = unchanged.report;
  engine.append({
    type: "attempt-end",
    taskId,
    attempt: number,
    outcome: report.outcome,
    commit: report.commit,
    handoff: report.handoff,
    reason: report.reason,
  });
  recordRerun(context, view, report);
  // The planner hears about it in the background: a replan never holds this worker.
  void engine.withPlanner(() =>
    context.planner
      .update(
        { taskId, outcome: report.outcome, handoff: report.handoff, reason: report.reason },
        engine.runSignal,
      )
      .catch((error: unknown) => {
        deps.logger.warn({ taskId, error: messageOf(error) }, "planner update failed");
      }),
  );
  return { ...report, notNeeded: unchanged.notNeeded };
}

async function review(
  context: WorkerContext,
  view: TaskView,
  number: number,
  report: AttemptReport,
): Promise<boolean> {
  const { engine, deps } = context;
  const attemptView = view.attempts.at(-1)!;
  const base = attemptView.baseCommit;
  const commit = report.commit;
  const limits =
    commit === null
      ? cleanHandoff
      : ((await deps.handoff?.check(view.task, base, commit, context.signal)) ?? cleanHandoff);
  const findings =
    commit === null
      ? []
      : ((await context.health?.tamperFindings?.(view.task, base, commit, context.signal)) ?? []);
  let verdict: { accepted: boolean; feedback: string };
  if (limits.rejections.length > 0) {
    verdict = {
      accepted: false,
      feedback: `${limits.rejections.join(" ")} Remove or shrink them and hand off again.`,
    };
  } else if (findings.length > 0) {
    verdict = {
      accepted: false,
      feedback: `Tests were weakened: ${findings.join("; ")}. Restore them and make them pass.`,
    };
  } else if (deps.judge) {
    const diff =
      commit === null
        ? "(no changes: the agent found the task already done on the integration branch)"
        : await deps
            .diff(base, commit, context.signal)
            .catch((error: unknown) => `(diff unavailable: ${messageOf(error)})`);
    verdict = await deps.judge.review(
      {
        runId: engine.runId,
        task: view.task,
        handoff: report.handoff,
        diff,
        checks: report.checks ?? [],
        concerns: limits.concerns,
      },
      context.signal,
    );
  } else {
    verdict = { accepted: true, feedback: "no judge configured" };
  }
  engine.append({ type: "judge-verdict", taskId: view.task.id, attempt: number, ...verdict });
  return verdict.accepted;
}

async function land(
  context: WorkerContext,
  view: TaskView,
  number: number,
  commit: string,
  turn?: ConflictTurn,
): Promise<void> {
  if (turn === undefined) {
    // The turn in the conflicted files' lanes (if one is taken) lasts until this landing settles.
    const own = new ConflictTurn(context.engine.conflictLanes);
    try {
      await land(context, view, number, commit, own);
    } finally {
      own.release();
    }
    return;
  }
  const { engine, deps } = context;
  const taskId = view.task.id;
  engine.append({ type: "merge-enqueue", taskId, attempt: number, commit });
  const outcome = await deps.lander
    .land({
      taskId,
      attempt: number,
      commit,
      title: view.task.title,
      priority: view.task.priority,
      signal: context.signal,
    })
    .catch((error: unknown) => ({ kind: "failed" as const, reason: messageOf(error) }));
  switch (outcome.kind) {
    case "landed":
      engine.append({
        type: "merge-land",
        taskId,
        attempt: number,
        sha: outcome.sha,
        previous: outcome.previous,
        strategy: outcome.strategy,
        noop: outcome.noop === true,
      });
      engine.transition(
        taskId,
        "landed",
        outcome.noop === true
          ? `no change: its work was already on the branch at ${outcome.sha.slice(0, 10)}`
          : `landed as ${outcome.sha.slice(0, 10)}`,
      );
      // A no-op landing moved nothing, so it can be no check's culprit.
      if (outcome.noop !== true)
        context.health?.notifyLanded({ taskId, sha: outcome.sha, previous: outcome.previous });
      void engine.withPlanner(() =>
        context.planner
          .update(
            { taskId, outcome: "landed", handoff: view.attempts.at(-1)?.handoff ?? null, reason: "landed" },
            engine.runSignal,
          )
          .catch(() => undefined),
      );
      return;
    case "conflict": {
      engine.append({ type: "merge-conflict", taskId, attempt: number, files: [...outcome.files] });
      // A conflict costs a hunk, not a task: the resolution step first, a new attempt only when it fails.
      const next = await resolveAtHunkSize(context, view, number, commit, outcome, turn);
      if (context.signal.aborted) {
        settleCancelled(context, view);
        return;
      }
      if (next !== null) {
        await land(context, view, number, next, turn);
        return;
      }
      retryOrFail(context, view, `merge conflict in ${outcome.files.join(", ")}`, true);
      return;
    }
    case "failed":
      if (context.signal.aborted) {
        settleCancelled(context, view);
        return;
      }
      retryOrFail(context, view, `landing failed: ${outcome.reason}`);
      return;
  }
}

/** Sends the task back for another attempt, or fails it and hands it to the planner. */
function retryOrFail(context: WorkerContext, view: TaskView, reason: string, conflict = false): void {
  const { engine, deps } = context;
  const { maxAttempts, maxConflictRetries } = deps.settings;
  // Attempts whose work conflicted (however many hunk resolutions each went through).
  const conflicts = view.attempts.filter((attempt) => attempt.outcome === "conflict").length;
  // The run's budget stopped the run, not the task: that attempt is not one of the task's own (a
  // task over its own TASK_MAX_* cap did spend it).
  const refused = view.attempts.filter(
    (attempt) => attempt.outcome === "budget" && attempt.refusedBy !== "task",
  ).length;
  const ownAttempts = view.attempts.length - conflicts - refused;
  const canRetry = conflict ? conflicts <= maxConflictRetries : ownAttempts < maxAttempts;
  if (canRetry && !engine.state.draining) {
    engine.transition(view.task.id, "ready", reason);
    return;
  }
  if (canRetry) {
    // Draining: leave the task ready for a resumed run instead of failing it.
    engine.transition(view.task.id, "ready", `${reason}; left for a resumed run`);
    return;
  }
  failTask(context, view, `${reason} (attempts exhausted)`);
}

/** Fails the task and hands it to the planner, which may split or replace it. */
function failTask(context: WorkerContext, view: TaskView, reason: string): void {
  const { engine, deps } = context;
  engine.transition(view.task.id, "failed", reason);
  const task = view.task;
  void engine.withPlanner(() =>
    context.planner.giveUp(task, reason, engine.runSignal).catch((error: unknown) => {
      deps.logger.warn(
        { taskId: task.id, error: messageOf(error) },
        "planner could not replan a failed task",
      );
    }),
  );
}

/** A cancelled task (by the user) ends cancelled; an aborted run leaves it ready for resume. */
function settleCancelled(context: WorkerContext, view: TaskView): void {
  const state = view.task.state;
  const reason = messageOf(context.signal.reason ?? "cancelled");
  if (context.engine.state.draining) {
    if (checkTransition(state, "ready").ok)
      context.engine.transition(view.task.id, "ready", `interrupted: ${reason}`);
    return;
  }
  if (checkTransition(state, "cancelled").ok) context.engine.transition(view.task.id, "cancelled", reason);
}
