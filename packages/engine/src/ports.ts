import type {
  AttemptOutcome,
  EmitEvent,
  Handoff,
  HealthCheck,
  LongshotEvent,
  NewEvent,
  Task,
  TaskSpecSchema,
  Usage,
} from "@longshot/core";
import type { ConflictSnapshot } from "@longshot/merge-queue";
import type { TaskGraph } from "@longshot/planner";
import type { Sandbox } from "@longshot/sandbox";
import type { z } from "zod";

/**
 * The seams of the engine. Each is a small interface with an adapter over the real package
 * (see `src/adapters/`), so the run loop stays free of provider details and tests can drive it
 * with real parts.
 */

/** The durable event log of one run. */
export interface RunLog {
  append(event: NewEvent): LongshotEvent;
  /** Every event of the run so far, in order; with `afterSeq`, only those after it. */
  read(afterSeq?: number): LongshotEvent[];
}

/** What a harness is asked to do in one attempt. */
export interface AttemptRequest {
  readonly runId: string;
  readonly task: Task;
  readonly attempt: number;
  readonly model: string;
  /** `fixer` for the reconciler's fix tasks (their model calls are the fixer's), else `worker`. */
  readonly role: "worker" | "fixer";
  readonly sandbox: Sandbox;
  /** The judge's feedback or the previous failure, for the next try. */
  readonly feedback: string | null;
  /** Files that conflicted when the previous attempt tried to land. */
  readonly conflictFiles: readonly string[];
  readonly signal: AbortSignal;
  readonly emit: EmitEvent;
}

export interface AttemptReport {
  readonly outcome: AttemptOutcome;
  readonly handoff: Handoff | null;
  /** Commit on the task branch holding the work, null when nothing was committed. */
  readonly commit: string | null;
  readonly reason: string;
  readonly usage: Usage;
  /** The project's checks run on `commit` in the attempt's sandbox, for the judge. */
  readonly checks?: readonly HealthCheck[];
}

/** Runs one attempt of a task inside a sandbox (the built-in agent or an external CLI). */
export interface WorkerHarness {
  readonly name: string;
  run(request: AttemptRequest): Promise<AttemptReport>;
}

/** A branch tip offered to the merge queue. */
export interface LandingRequest {
  readonly taskId: string;
  readonly attempt: number;
  readonly commit: string;
  readonly title: string;
  readonly priority: number;
  readonly signal: AbortSignal;
}

export type LandingOutcome =
  | {
      readonly kind: "landed";
      readonly sha: string;
      readonly previous: string;
      readonly strategy: string;
      /** The work was already on the branch: the task is done, its landing changed nothing. */
      readonly noop?: boolean;
    }
  | {
      readonly kind: "conflict";
      readonly files: readonly string[];
      /** What it conflicted with, for a resolution at hunk size; absent when the lander cannot tell. */
      readonly conflict?: ConflictSnapshot;
    }
  | { readonly kind: "failed"; readonly reason: string };

/** What a task set out to do, as the other side of a conflict is told. */
export interface TaskIntent {
  readonly title: string;
  /** The handoff summary of the attempt that landed; empty when there is none. */
  readonly summary: string;
}

/** A conflict the merge queue sent back, and what resolving it may read. */
export interface ConflictToResolve {
  readonly runId: string;
  readonly task: Task;
  readonly attempt: number;
  readonly handoff: Handoff | null;
  readonly conflict: ConflictSnapshot;
  /** The intent of another task of the run, by id (for the commits that landed meanwhile). */
  readonly intentOf: (taskId: string) => TaskIntent | null;
  readonly signal: AbortSignal;
}

/** A verified resolution to land, or why there is none (then the task runs again). */
export type ConflictResolution =
  | {
      readonly kind: "resolved";
      readonly commit: string;
      readonly files: readonly string[];
      readonly hunks: number;
      readonly usage: Usage;
    }
  | {
      readonly kind: "unresolved";
      readonly files: readonly string[];
      readonly hunks: number;
      readonly usage: Usage;
      readonly reason: string;
    };

/**
 * Resolves a conflict at the size of the conflict (docs/decisions/0013): the conflicted hunks
 * answered by one model call and verified by the project's checks in a sandbox. Every way it can
 * fail is an `unresolved` value; rejects only on cancellation.
 */
export interface ConflictResolver {
  resolve(request: ConflictToResolve): Promise<ConflictResolution>;
}

/** Lands finished work on the integration branch. */
export interface Lander {
  land(request: LandingRequest): Promise<LandingOutcome>;
  /** The integration branch's current head. */
  head(): Promise<string>;
}

/** Where the planner and the reconciler add tasks; the engine assigns ids and branches. */
export interface TaskSink {
  addTask(
    spec: TaskSpecInput,
    kind: Task["kind"],
    options?: { parentId?: string; fingerprint?: string },
  ): Task;
  cancelTask(taskId: string, reason: string): void;
  updateTask(
    taskId: string,
    changes: Partial<
      Pick<
        Task,
        "title" | "description" | "acceptance" | "scope" | "dependsOn" | "priority" | "context" | "requires"
      >
    >,
  ): void;
}

export type TaskSpecInput = z.input<typeof TaskSpecSchema>;

/** What the planner hears about a finished attempt, a landing or a revert. */
export interface PlannerUpdate {
  readonly taskId: string;
  readonly outcome: AttemptOutcome | "landed" | "failed" | "reverted";
  readonly handoff: Handoff | null;
  readonly reason: string;
}

/**
 * Turns the request into tasks and keeps the plan current as work comes back. Its graph is the
 * one place task ids are assigned: the planner's own tasks, fix tasks and tasks users add.
 */
export interface PlannerPort {
  readonly graph: TaskGraph;
  /** Plans the request, adding tasks through the sink batch by batch; resolves when the first plan is done. */
  plan(signal: AbortSignal): Promise<void>;
  /** Called after each attempt ends and each landing; may add, amend or cancel tasks. */
  update(update: PlannerUpdate, signal: AbortSignal): Promise<void>;
  /**
   * Called when nothing is pending; resolves true when the request is complete (the planner
   * may add tasks instead and resolve false).
   */
  complete(signal: AbortSignal): Promise<boolean>;
  /** A task that keeps failing: the planner splits it, replaces it or drops it. */
  giveUp(task: Task, reason: string, signal: AbortSignal): Promise<void>;
  /** Progress news (such as checks that fail until planned work lands) for the next replan. */
  news(summary: string): void;
}

/** What a fix task's failures look like now. */
export interface FixRecheck {
  /** The integration commit that was checked. */
  readonly commit: string;
  /** True when they still fail (or could not be checked because an earlier check failed). */
  readonly failing: boolean;
  /** The output that shows it, for the next attempt; empty when nothing fails. */
  readonly output: string;
}

/** How finalization ended. */
export interface FinalizeResult {
  readonly green: boolean;
  readonly reason: string;
  /**
   * The commit the final checks ran on (with held-out tests put back, the commit holding them);
   * null when there was no final sweep.
   */
  readonly commit: string | null;
}

/** Health of the integration branch. */
export interface HealthPort {
  /** Starts periodic sweeps (HEALTH_CHECK_INTERVAL) until `stop`. */
  start(signal: AbortSignal): void;
  /** Called after every landing; sweeps are coalesced and never overlap. */
  notifyLanded(landing: { readonly taskId: string; readonly sha: string; readonly previous: string }): void;
  /**
   * Runs the finalization rounds (sweep, fix tasks through the sink, retries) and reports
   * honestly. The engine keeps dispatching while this runs, so fix tasks get done.
   */
  finalize(signal: AbortSignal): Promise<FinalizeResult>;
  /** Stops the periodic loop and waits for a running sweep. */
  stop(): Promise<void>;
  /**
   * For a fix task whose attempt changed nothing: whether the failures it was made for still show
   * at the integration branch's head, with their output. Absent when the port cannot tell.
   */
  recheckFix?(task: Task, signal: AbortSignal): Promise<FixRecheck>;
  /** Findings of the tamper guard on a task's work (deleted, skipped or weakened tests). */
  tamperFindings?(task: Task, base: string, commit: string, signal: AbortSignal): Promise<readonly string[]>;
}
