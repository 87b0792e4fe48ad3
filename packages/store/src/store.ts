import type {
  Attempt,
  EventType,
  Handoff,
  HealthCheck,
  LongshotEvent,
  Merge,
  NewEvent,
  Role,
  RunStatus,
  Task,
  TaskKind,
  TaskState,
  Usage,
} from "@longshot/core";

/** One health sweep of the integration branch. */
export interface HealthSweep {
  readonly runId: string;
  readonly seq: number;
  readonly at: number;
  readonly commit: string;
  readonly green: boolean;
  readonly checks: readonly HealthCheck[];
}

/** A run as dashboards, reports and MCP show it. */
export interface RunSummary {
  readonly runId: string;
  readonly request: string;
  readonly repo: string;
  readonly baseCommit: string;
  readonly targetBranch: string;
  readonly integrationBranch: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly status: RunStatus;
  /** Why the run is draining or ended; null while it runs normally. */
  readonly reason: string | null;
  /** Latest known integration head (base commit until something lands). */
  readonly head: string | null;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly updatedAt: number;
  readonly lastSeq: number;
  /** Tasks by state, every state present (zero when none). */
  readonly tasks: Readonly<Record<TaskState, number>>;
  readonly taskTotal: number;
  readonly usage: Usage;
  readonly costUsd: number;
  /** Model calls sent, including any a killed process never saw end. */
  readonly modelCalls: number;
  readonly merges: { readonly landed: number; readonly conflicts: number; readonly reverted: number };
  readonly lastHealth: HealthSweep | null;
}

/** An attempt with what the judge said and why it ended. */
export interface AttemptRecord extends Attempt {
  /** The judge's verdict, null when it has not reviewed the attempt. */
  readonly accepted: boolean | null;
  readonly reason: string | null;
}

/** A merge-queue outcome; `revertedBy` is the revert commit when the reconciler backed it out. */
export interface MergeRecord extends Merge {
  readonly seq: number;
  readonly previous: string | null;
  readonly strategy: string | null;
  readonly revertedBy: string | null;
  readonly revertReason: string | null;
}

/** A fix task created by the reconciler for a failure fingerprint. */
export interface FixRecord {
  readonly taskId: string;
  readonly fingerprint: string;
  readonly culprit: string | null;
  readonly at: number;
}

export interface TaskDetail {
  readonly task: Task;
  readonly attempts: readonly AttemptRecord[];
  readonly handoffs: readonly { readonly attempt: number; readonly handoff: Handoff }[];
  readonly fix: FixRecord | null;
  readonly merges: readonly MergeRecord[];
}

export interface ToolCallRecord {
  readonly callId: string;
  readonly taskId: string;
  readonly attempt: number;
  readonly tool: string;
  readonly input: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly ok: boolean | null;
  readonly output: string | null;
  readonly durationMs: number | null;
}

/** Spend grouped by a key (a role or a model). */
export interface CostRow<K extends string = string> {
  readonly key: K;
  readonly calls: number;
  readonly usage: Usage;
  readonly costUsd: number;
}

export interface TaskFilter {
  readonly state?: TaskState | readonly TaskState[];
  readonly kind?: TaskKind | readonly TaskKind[];
}

export interface EventQuery {
  /** Only events with a larger sequence number (sequence numbers start at 1). */
  readonly afterSeq?: number;
  readonly limit?: number;
  readonly types?: readonly EventType[];
}

export interface FollowOptions {
  /** End the stream after yielding the run's `run-end` event. */
  readonly untilRunEnd?: boolean;
}

/**
 * The durable history of runs: an append-only event log plus projections derived from it.
 * Every method is synchronous except `follow`; reads validate stored events with `parseEvent`.
 */
export interface Store {
  /**
   * Records an event: assigns the run's next sequence number (from 1) and the clock's time, and
   * updates the projections in the same transaction. Returns once the event is durable (see
   * `StoreOptions.synchronous`), so an action may follow. Throws InternalError for an invalid event.
   */
  append(runId: string, event: NewEvent): LongshotEvent;
  /** Like `append` for several events, all or none, in order. */
  appendBatch(runId: string, events: readonly NewEvent[]): LongshotEvent[];
  /** Highest sequence number of the run, 0 when it has no events. */
  lastSeq(runId: string): number;
  /** Events of a run in sequence order. */
  events(runId: string, query?: EventQuery): LongshotEvent[];
  /**
   * Tails a run: yields events after `afterSeq` as they are appended, by this store (woken at
   * once) or by another connection or process (seen within the poll interval). Ends quietly
   * when `signal` aborts, or after `run-end` with `untilRunEnd`.
   */
  follow(
    runId: string,
    afterSeq: number,
    signal: AbortSignal,
    options?: FollowOptions,
  ): AsyncIterable<LongshotEvent>;
  /** Every run, newest first. */
  listRuns(): RunSummary[];
  getRun(runId: string): RunSummary | null;
  /** Tasks of a run by id, optionally filtered by state and kind. */
  listTasks(runId: string, filter?: TaskFilter): Task[];
  getTask(runId: string, taskId: string): TaskDetail | null;
  toolCalls(runId: string, taskId: string, attempt?: number): ToolCallRecord[];
  costByRole(runId: string): CostRow<Role>[];
  costByModel(runId: string): CostRow[];
  merges(runId: string): MergeRecord[];
  fixes(runId: string): FixRecord[];
  /** Health sweeps, oldest first; `limit` keeps the most recent ones. */
  healthHistory(runId: string, options?: { readonly limit?: number }): HealthSweep[];
  /** Empties the projection tables and replays the whole log into them, in one transaction. */
  rebuildProjections(): void;
  close(): void;
}
