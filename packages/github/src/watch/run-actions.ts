import { AbortError, messageOf } from "@longshot/core";
import { requestFor } from "../issue-mode.js";
import { linkPullRequestToIssue } from "../link-pull-request-to-issue.js";
import { type FeedbackItem, followUpRequest, pendingFeedback, replyMarker, replyText } from "./feedback.js";
import type { WatchRunOutcome } from "./run-driver.js";
import { showStatus, type WatchContext } from "./watch-context.js";
import type { IssueRecord, WatchRun } from "./watch-journal.js";

/** Starts the first run of an issue on its pull request branch (created from the base branch). */
export async function buildIssue(
  context: WatchContext,
  record: IssueRecord,
  capUsd: number | null,
  stop: AbortSignal,
): Promise<void> {
  const base = await context.git.prepareBase(record.branch, context.settings.baseBranch, stop);
  const request = requestFor({ title: record.title, body: record.body });
  await startRun(
    context,
    record,
    { purpose: "build", feedback: [], before: base.head, capUsd },
    request,
    stop,
  );
}

/** Starts a follow-up run on the pull request branch that addresses `feedback`. */
export async function followUp(
  context: WatchContext,
  record: IssueRecord,
  feedback: readonly FeedbackItem[],
  capUsd: number | null,
  stop: AbortSignal,
): Promise<void> {
  const base = await context.git.prepareBase(record.branch, context.settings.baseBranch, stop);
  const request = followUpRequest(record, record.pull ?? 0, feedback);
  const ids = feedback.map((item) => item.id);
  await startRun(
    context,
    record,
    { purpose: "review", feedback: ids, before: base.head, capUsd },
    request,
    stop,
  );
}

/** Resumes the issue's unfinished run, or publishes a run that ended before the last process did. */
export async function finishRun(
  context: WatchContext,
  record: IssueRecord,
  run: WatchRun,
  stop: AbortSignal,
): Promise<void> {
  const progress = context.runs.progress(run.runId);
  if (progress === null) {
    // Killed after the id was written but before the run recorded anything: start over.
    context.journal.put({ ...record, runs: record.runs.filter((entry) => entry !== run) });
    return;
  }
  let outcome: WatchRunOutcome | null = null;
  if (!progress.ended) {
    const runId = run.runId;
    outcome = await monitored(
      context,
      record,
      () => runId,
      stop,
      (signal) => context.runs.resume({ runId, baseBranch: record.branch, capUsd: run.capUsd, stop: signal }),
    );
  } else {
    outcome = context.runs.outcome(run.runId);
  }
  if (outcome !== null) await publish(context, record, run.runId, outcome, stop);
}

async function startRun(
  context: WatchContext,
  record: IssueRecord,
  entry: Pick<WatchRun, "purpose" | "feedback" | "before" | "capUsd">,
  request: string,
  stop: AbortSignal,
): Promise<void> {
  let runId: string | null = null;
  let outcome: WatchRunOutcome;
  try {
    outcome = await monitored(
      context,
      record,
      () => runId,
      stop,
      (signal) =>
        context.runs.start({
          request,
          baseBranch: record.branch,
          capUsd: entry.capUsd,
          stop: signal,
          started: (id) => {
            runId = id;
            record.runs.push({
              ...entry,
              runId: id,
              startedAt: context.clock.now(),
              endedAt: null,
              status: null,
              costUsd: 0,
              pushed: null,
              published: false,
              problem: null,
            });
            record.note = "";
            context.journal.put(record);
          },
        }),
    );
  } catch (error) {
    if (error instanceof AbortError || stop.aborted) throw error;
    // The run could not start (bad input, a dead model endpoint): say so, do not retry blindly.
    const problem = messageOf(error);
    context.logger.warn({ issue: record.number, error: problem }, "run could not start");
    const run = record.runs.find((candidate) => candidate.runId === runId);
    if (run !== undefined)
      Object.assign(run, { status: "error", problem, published: true, endedAt: context.clock.now() });
    if (entry.purpose === "build") record.phase = "failed";
    else record.handledFeedback = [...new Set([...record.handledFeedback, ...entry.feedback])];
    record.note = `The run could not start: ${problem}`;
    context.journal.put(record);
    await showStatus(context, record, null, stop);
    return;
  }
  await publish(context, record, outcome.runId, outcome, stop);
}

/**
 * Runs `launch` while refreshing the status comment from the run store and watching the kill
 * switch; the kill label (or `stop`) drains the run, which then resumes in a later cycle.
 */
async function monitored(
  context: WatchContext,
  record: IssueRecord,
  runId: () => string | null,
  stop: AbortSignal,
  launch: (signal: AbortSignal) => Promise<WatchRunOutcome>,
): Promise<WatchRunOutcome> {
  const drain = new AbortController();
  const done = new AbortController();
  const forward = (): void => drain.abort(stop.reason);
  stop.addEventListener("abort", forward, { once: true });
  const watcher = (async () => {
    const quiet = AbortSignal.any([done.signal, stop]);
    while (!quiet.aborted) {
      const id = runId();
      const progress = id === null ? null : context.runs.progress(id);
      if (id !== null && progress !== null)
        await showStatus(context, record, { runId: id, text: progress.text }, quiet).catch(() => undefined);
      const killed = await context.api.openWithLabel(context.settings.killLabel, quiet).catch(() => []);
      if (killed.length > 0 && !drain.signal.aborted) {
        record.note = `Stopped by the \`${context.settings.killLabel}\` label; the run resumes once it is removed.`;
        context.journal.put(record);
        drain.abort(new AbortError("kill switch"));
      }
      await context.clock.sleep(context.settings.progressEveryMs, quiet).catch(() => undefined);
    }
  })();
  try {
    return await launch(drain.signal);
  } finally {
    done.abort();
    stop.removeEventListener("abort", forward);
    await watcher;
  }
}

/** After a run: push a green run's work, open or update the pull request, answer reviewers. */
async function publish(
  context: WatchContext,
  record: IssueRecord,
  runId: string,
  outcome: WatchRunOutcome,
  stop: AbortSignal,
): Promise<void> {
  const run = record.runs.find((entry) => entry.runId === runId);
  if (run === undefined) return;
  run.costUsd = outcome.costUsd;
  if (outcome.interrupted) {
    context.journal.put(record);
    await showStatus(
      context,
      record,
      { runId, text: `stopped (${outcome.reason}); it resumes in a later cycle` },
      stop,
    );
    return;
  }
  run.status = outcome.status;
  run.endedAt ??= context.clock.now();
  context.journal.put(record);
  const green = outcome.status === "green";
  if (green && run.pushed === null) {
    const pushed = await context.git.fastForward(outcome.head, record.branch, stop);
    if (pushed.ok) run.pushed = outcome.head;
    else run.problem = `GitHub refused the push of ${record.branch}: ${pushed.reason}`;
    context.journal.put(record);
  }
  if (green && run.pushed !== null) {
    const pull = await context.api.client.openOrUpdatePullRequest({
      head: record.branch,
      base: context.settings.baseBranch,
      title: record.title,
      body: linkPullRequestToIssue(outcome.report, record.number),
      signal: stop,
    });
    record.pull = pull.number;
    record.pullUrl = pull.url;
    if (record.phase === "building" || record.phase === "failed") record.phase = "open";
  } else if (run.purpose === "build") {
    record.phase = "failed";
    record.note = run.problem ?? `Run \`${runId}\` ended ${outcome.status}: ${outcome.reason}`;
  }
  if (run.purpose === "review" && record.pull !== null)
    await answerReviewers(context, record, run, outcome, stop);
  run.published = true;
  context.journal.put(record);
  await showStatus(context, record, null, stop);
}

async function answerReviewers(
  context: WatchContext,
  record: IssueRecord,
  run: WatchRun,
  outcome: WatchRunOutcome,
  stop: AbortSignal,
): Promise<void> {
  const pull = record.pull!;
  const marker = replyMarker(run.runId);
  const already = (await context.api.comments(pull, stop)).some((comment) => comment.body.includes(marker));
  if (!already) {
    const wanted = new Set(run.feedback);
    const feedback = pendingFeedback(await context.api.reviewItems(pull, stop), new Set()).filter((item) =>
      wanted.has(item.id),
    );
    const green = outcome.status === "green" && run.pushed !== null;
    const commits =
      green && run.before !== null ? await context.git.commits(run.before, run.pushed!, stop) : [];
    const body = replyText({
      runId: run.runId,
      status: outcome.status,
      feedback,
      commits,
      tasks: green ? context.runs.landedTasks(run.runId) : [],
      problem: run.problem,
    });
    await context.api.comment(pull, body, stop);
  }
  // Answered either way: a failed follow-up is not retried until someone comments again.
  record.handledFeedback = [...new Set([...record.handledFeedback, ...run.feedback])];
}
