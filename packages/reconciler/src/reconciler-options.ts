import type { Clock, EmitEvent } from "@longshot/core";
import type { Git, GitRunner, Identity } from "@longshot/git";
import type { Landing } from "./bisect.js";
import type { CheckWorkspace } from "./check-workspace.js";
import type { Failure } from "./failure.js";
import type { TaskSink } from "./fix-task.js";
import type { Culprit, FixTaskRecord, Sweep } from "./reconcile.js";

/** What the engine tells the reconciler about the rest of the run. */
export interface RunProgress {
  /** Every task, fix tasks included, is in a terminal state and the merge queue is empty. */
  settled(): boolean;
  /** Tasks whose finished work has not landed on the integration branch. */
  unmerged(): readonly string[];
  /** Puts unmerged branches back into the merge queue. */
  retryUnmerged(taskIds: readonly string[], signal?: AbortSignal): Promise<void>;
  /**
   * Whether the work that should make these files pass has landed: every task whose scope
   * covers one of them (every task of the plan when none does). Fix tasks do not count.
   */
  workLanded(files: readonly string[]): boolean;
  /** Failures that wait for planned work, as news for the planner (never a fix task). */
  reportUnfinished(failures: readonly Failure[]): void;
}

export interface ReconcilerOptions {
  readonly git: Git;
  readonly gitRunner: GitRunner;
  /** Full ref of the integration branch, such as `refs/heads/longshot/<run>/integration`. */
  readonly ref: string;
  readonly workspace: CheckWorkspace;
  readonly tasks: TaskSink;
  readonly progress: RunProgress;
  readonly emit: EmitEvent;
  readonly clock: Clock;
  /** Author of revert commits. */
  readonly identity: Identity;
  /** HEALTH_CHECK_INTERVAL in milliseconds. */
  readonly intervalMs: number;
  /** Fix tasks per fingerprint before the culprit is reverted; default 2. */
  readonly maxFixAttempts?: number;
  /** FINALIZATION_MAX_ATTEMPTS. */
  readonly finalizationMaxAttempts: number;
  /** How often `finalize` looks at the run while fix tasks work; default 1 s. */
  readonly pollMs?: number;
  /** On resume: landings so far, fix tasks already created, the last green commit. */
  readonly landings?: readonly Landing[];
  readonly fixes?: readonly { readonly taskId: string; readonly fingerprints: readonly string[] }[];
  readonly lastGreen?: string | null;
}

/** How finalization ended; the engine turns it into the run's status and exit code. */
export type FinalizationResult =
  | { readonly status: "green"; readonly commit: string; readonly rounds: number }
  | {
      readonly status: "red";
      readonly commit: string;
      readonly reason: string;
      readonly failures: readonly Failure[];
      readonly unmerged: readonly string[];
      readonly rounds: number;
    };

/** A snapshot for dashboards and tests. */
export interface ReconcilerState {
  readonly lastSweep: Sweep | null;
  readonly lastGreen: string | null;
  readonly fixes: readonly FixTaskRecord[];
  readonly culprits: ReadonlyMap<string, Culprit | null>;
  readonly reverted: ReadonlySet<string>;
  readonly sweeps: number;
}
