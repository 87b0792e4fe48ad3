import {
  type AttemptOutcome,
  type Handoff,
  type HealthCheck,
  type LongshotEvent,
  type RunStatus,
  type Task,
  type TaskState,
  type Usage,
  zeroUsage,
} from "@longshot/core";

/** One attempt as the engine remembers it. */
export interface AttemptView {
  readonly number: number;
  readonly model: string;
  readonly harness: string;
  readonly baseCommit: string;
  readonly startedAt: number;
  endedAt: number | null;
  outcome: AttemptOutcome | null;
  commit: string | null;
  handoff: Handoff | null;
  reason: string;
  verdict: { accepted: boolean; feedback: string } | null;
  /** The budget that refused one of the attempt's model calls: the run's or the task's own; null if none. */
  refusedBy: "run" | "task" | null;
  /** Whether the attempt got its sandbox (until then, no model worked on it). */
  sandboxReady: boolean;
}

/** A task plus everything the engine learned about it. */
export interface TaskView {
  task: Task;
  readonly attempts: AttemptView[];
  /** Files of the last merge conflict, handed to a conflict-resolution attempt. */
  conflictFiles: readonly string[];
  /** Sha the task landed as. */
  landedSha: string | null;
  /** Times the task's work conflicted with the integration branch. */
  conflicts: number;
  lastReason: string;
  /** The state a cancelled task was cancelled from (`failed` or `reverted`: work given up). */
  cancelledFrom: TaskState | null;
  /**
   * Why the task lost its latest attempt's work after that attempt ended: the reason it went back
   * to `ready` from review or a landing, or was reverted; null otherwise. The next attempt is told.
   */
  sentBack: string | null;
}

/**
 * The whole state of a run, derived only from its event log: the live engine and `resume`
 * build it with the same `applyEvent`, so a resumed run sees exactly what the crashed one saw.
 */
export interface RunState {
  runId: string;
  request: string;
  repo: string;
  baseCommit: string;
  targetBranch: string;
  integrationBranch: string;
  status: RunStatus;
  /** Integration head after the last landing or revert. */
  head: string;
  readonly tasks: Map<string, TaskView>;
  /** Task ids in creation order. */
  readonly order: string[];
  planComplete: boolean;
  paused: boolean;
  draining: boolean;
  drainReason: string;
  usage: Usage;
  costUsd: number;
  /** Landings that moved the integration branch; a no-op landing is not one. */
  landed: number;
  /** Landings whose work was already on the integration branch: nothing moved. */
  noopLandings: number;
  conflicts: number;
  lastHealth: { commit: string; green: boolean; checks: readonly HealthCheck[] } | null;
  lastSeq: number;
  startedAt: number;
  endedAt: number | null;
  /** Time the run was worked on by the processes before the current one (their sessions). */
  earlierSessionsMs: number;
  /** When the current process started or resumed the run. */
  sessionStartedAt: number;
  /** Time of the newest event. */
  lastEventAt: number;
}

export function emptyRunState(runId: string): RunState {
  return {
    runId,
    request: "",
    repo: "",
    baseCommit: "",
    targetBranch: "",
    integrationBranch: "",
    status: "running",
    head: "",
    tasks: new Map(),
    order: [],
    planComplete: false,
    paused: false,
    draining: false,
    drainReason: "",
    usage: { ...zeroUsage },
    costUsd: 0,
    landed: 0,
    noopLandings: 0,
    conflicts: 0,
    lastHealth: null,
    lastSeq: -1,
    startedAt: 0,
    endedAt: null,
    earlierSessionsMs: 0,
    sessionStartedAt: 0,
    lastEventAt: 0,
  };
}

function setState(view: TaskView, from: TaskState, to: TaskState, reason: string): void {
  view.task = { ...view.task, state: to };
  view.lastReason = reason;
  view.cancelledFrom = to === "cancelled" ? from : null;
  if (to === "reverted" || (to === "ready" && (from === "review" || from === "merging")))
    view.sentBack = reason;
  if (to === "reverted") view.landedSha = null;
}

/**
 * Time the run has been worked on: every earlier process's session (from its start or resume to
 * its last event) plus the current one up to `now`. Time between a crash and the resume is not
 * counted, and a resume does not start the count over.
 */
export function activeTime(state: RunState, now: number): number {
  return state.earlierSessionsMs + Math.max(0, now - state.sessionStartedAt);
}

/**
 * Folds one event into the state (in place, for speed at thousands of events; the function is
 * still deterministic: same events, same state).
 */
export function applyEvent(state: RunState, event: LongshotEvent): RunState {
  state.lastSeq = event.seq;
  if (event.type === "run-resume") {
    state.earlierSessionsMs += Math.max(0, state.lastEventAt - state.sessionStartedAt);
    state.sessionStartedAt = event.at;
  }
  state.lastEventAt = event.at;
  switch (event.type) {
    case "run-start":
    case "run-resume":
    case "run-pause":
    case "run-unpause":
    case "run-drain":
    case "run-end":
    case "plan-complete":
      applyRunEvent(state, event);
      break;
    case "task-add":
    case "task-update":
    case "task-transition":
    case "attempt-start":
    case "attempt-end":
    case "judge-verdict":
      applyTaskEvent(state, event);
      break;
    case "merge-land":
    case "merge-revert":
    case "merge-conflict":
    case "conflict-resolution":
      applyMergeEvent(state, event);
      break;
    case "model-call-end":
      state.usage = {
        promptTokens: state.usage.promptTokens + event.usage.promptTokens,
        completionTokens: state.usage.completionTokens + event.usage.completionTokens,
        cachedTokens: state.usage.cachedTokens + event.usage.cachedTokens,
      };
      state.costUsd += event.costUsd;
      break;
    case "health-check":
      state.lastHealth = { commit: event.commit, green: event.green, checks: event.checks };
      break;
    case "budget-refuse": {
      const attempt = event.taskId === null ? undefined : state.tasks.get(event.taskId)?.attempts.at(-1);
      if (attempt !== undefined && attempt.outcome === null) attempt.refusedBy ??= event.scope;
      break;
    }
    case "sandbox-create": {
      const attempt = state.tasks.get(event.taskId)?.attempts.at(-1);
      if (attempt !== undefined) attempt.sandboxReady = true;
      break;
    }
    case "plan-start":
    case "plan-batch":
    case "plan-reject":
    case "model-call-start":
    case "tool-call-start":
    case "tool-call-end":
    case "agent-text":
    case "sandbox-destroy":
    case "merge-enqueue":
    case "merge-gate":
    case "merge-push":
    case "fix-create":
    case "critic-report":
    case "target-update":
    case "log":
      break;
  }
  return state;
}

type EventOf<T extends LongshotEvent["type"]> = Extract<LongshotEvent, { type: T }>;

/** The run's own lifecycle: start, resume, pause, drain, end, the plan's completion. */
function applyRunEvent(
  state: RunState,
  event: EventOf<
    "run-start" | "run-resume" | "run-pause" | "run-unpause" | "run-drain" | "run-end" | "plan-complete"
  >,
): void {
  switch (event.type) {
    case "run-start":
      state.sessionStartedAt = event.at;
      state.request = event.request;
      state.repo = event.repo;
      state.baseCommit = event.baseCommit;
      state.head = event.startCommit ?? event.baseCommit;
      state.targetBranch = event.targetBranch;
      state.integrationBranch = event.integrationBranch;
      state.startedAt = event.at;
      state.status = "running";
      break;
    case "run-resume":
      // A resumed run continues: the drain or pause belonged to the process that stopped.
      state.status = "running";
      state.endedAt = null;
      state.draining = false;
      state.drainReason = "";
      state.paused = false;
      break;
    case "run-pause":
      state.paused = true;
      state.status = "paused";
      break;
    case "run-unpause":
      state.paused = false;
      state.status = state.draining ? "draining" : "running";
      break;
    case "run-drain":
      state.draining = true;
      state.drainReason = event.reason;
      state.status = "draining";
      break;
    case "run-end":
      state.status = event.status;
      state.endedAt = event.at;
      break;
    case "plan-complete":
      state.planComplete = true;
      break;
  }
}

/** Tasks and their attempts: added, changed, moved, attempted, judged. */
function applyTaskEvent(
  state: RunState,
  event: EventOf<
    "task-add" | "task-update" | "task-transition" | "attempt-start" | "attempt-end" | "judge-verdict"
  >,
): void {
  switch (event.type) {
    case "task-add":
      if (!state.tasks.has(event.task.id)) {
        state.tasks.set(event.task.id, {
          task: event.task,
          attempts: [],
          conflictFiles: [],
          landedSha: null,
          conflicts: 0,
          lastReason: "added",
          cancelledFrom: null,
          sentBack: null,
        });
        state.order.push(event.task.id);
      }
      break;
    case "task-update": {
      const view = state.tasks.get(event.taskId);
      if (view) view.task = { ...view.task, ...definedOnly(event.changes) } as Task;
      break;
    }
    case "task-transition": {
      const view = state.tasks.get(event.taskId);
      if (view) setState(view, event.from, event.to, event.reason);
      break;
    }
    case "attempt-start": {
      const view = state.tasks.get(event.taskId);
      if (view) {
        view.attempts.push({
          number: event.attempt,
          model: event.model,
          harness: event.harness,
          baseCommit: event.baseCommit,
          startedAt: event.at,
          endedAt: null,
          outcome: null,
          commit: null,
          handoff: null,
          reason: "",
          verdict: null,
          refusedBy: null,
          sandboxReady: false,
        });
        view.task = { ...view.task, attempts: event.attempt };
        view.sentBack = null;
      }
      break;
    }
    case "attempt-end": {
      const attempt = findAttempt(state, event.taskId, event.attempt);
      if (attempt) {
        attempt.endedAt = event.at;
        attempt.outcome = event.outcome;
        attempt.commit = event.commit;
        attempt.handoff = event.handoff;
        attempt.reason = event.reason;
      }
      break;
    }
    case "judge-verdict": {
      const attempt = findAttempt(state, event.taskId, event.attempt);
      if (attempt) attempt.verdict = { accepted: event.accepted, feedback: event.feedback };
      break;
    }
  }
}

/** Landings on the integration branch, reverts, conflicts and their resolutions. */
function applyMergeEvent(
  state: RunState,
  event: EventOf<"merge-land" | "merge-revert" | "merge-conflict" | "conflict-resolution">,
): void {
  switch (event.type) {
    case "merge-land": {
      const view = state.tasks.get(event.taskId);
      if (view) view.landedSha = event.sha;
      state.head = event.sha;
      if (event.noop) state.noopLandings += 1;
      else state.landed += 1;
      break;
    }
    case "merge-revert":
      state.head = event.sha;
      break;
    case "merge-conflict": {
      const view = state.tasks.get(event.taskId);
      if (view) {
        view.conflictFiles = event.files;
        view.conflicts += 1;
      }
      // The attempt's work was good but could not land: its final outcome is the conflict.
      const attempt = findAttempt(state, event.taskId, event.attempt);
      if (attempt) attempt.outcome = "conflict";
      state.conflicts += 1;
      break;
    }
    case "conflict-resolution": {
      // A verified resolution is what the attempt lands from now on (also after a resume).
      const attempt = findAttempt(state, event.taskId, event.attempt);
      if (attempt && event.method === "hunks" && event.ok && event.commit !== null)
        attempt.commit = event.commit;
      break;
    }
  }
}

function findAttempt(state: RunState, taskId: string, number: number): AttemptView | undefined {
  return state.tasks.get(taskId)?.attempts.find((attempt) => attempt.number === number);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as Partial<T>;
}

/**
 * Tasks a stopped process left in the middle of an attempt (running or in review): they start
 * over, and their unfinished attempt (number, or null when none) is recorded as cancelled.
 */
export function interruptedAttempts(state: RunState): { taskId: string; attempt: number | null }[] {
  return [...state.tasks.values()]
    .filter((view) => view.task.state === "running" || view.task.state === "review")
    .map((view) => {
      const last = view.attempts.at(-1);
      return { taskId: view.task.id, attempt: last && last.outcome === null ? last.number : null };
    });
}

/** Builds the state of a run from its whole event log. */
export function replay(runId: string, events: Iterable<LongshotEvent>): RunState {
  const state = emptyRunState(runId);
  for (const event of events) applyEvent(state, event);
  return state;
}

/** Task counts by state. */
export function countByState(state: RunState): Record<TaskState, number> {
  const counts: Record<TaskState, number> = {
    pending: 0,
    ready: 0,
    running: 0,
    review: 0,
    merging: 0,
    landed: 0,
    reverted: 0,
    failed: 0,
    cancelled: 0,
    split: 0,
  };
  for (const view of state.tasks.values()) counts[view.task.state] += 1;
  return counts;
}
