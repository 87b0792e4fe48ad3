import type { Identity } from "@longshot/git";

/** How a task's work lands on the integration branch (MERGE_STRATEGY). */
export type MergeStrategy = "fast-forward" | "rebase" | "merge-commit";

/** A finished task attempt asking to land. */
export interface MergeRequest {
  readonly taskId: string;
  readonly attempt: number;
  /** The attempt's tip commit: a sha (preferred) or a branch name, resolved when it is integrated. */
  readonly commit: string;
  /** 0–100, higher lands first among ready requests; default 50. Ties land in arrival order. */
  readonly priority?: number;
  /** Tasks that must have landed before this one may land. */
  readonly dependsOn?: readonly string[];
  /** Message of the commit the queue creates (squash or merge); default the tip commit's message. */
  readonly message?: string;
  /** Author of a squashed commit; default the tip commit's author. */
  readonly author?: Identity;
}

/** A request waiting in the queue, and why. */
export interface PendingRequest {
  readonly request: MergeRequest;
  /** Dependencies that have not landed yet (empty: ready, waiting for its turn). */
  readonly waitingFor: readonly string[];
}

/**
 * What happened to one request. Every kind except `landed` leaves the integration branch
 * without the task's work; the request leaves the queue either way (enqueue a new attempt to
 * try again).
 */
export type MergeResult =
  | {
      readonly kind: "landed";
      readonly taskId: string;
      readonly attempt: number;
      /** The commit that carries the task's work on the integration branch. */
      readonly sha: string;
      /** The integration head before it (null when the branch did not exist). */
      readonly previous: string | null;
      readonly strategy: MergeStrategy;
      /** True when the work was already on the branch, so nothing new was committed. */
      readonly empty: boolean;
      /** Compare-and-swap races lost (and recomputed) before landing. */
      readonly casRetries: number;
    }
  | {
      readonly kind: "conflict";
      readonly taskId: string;
      readonly attempt: number;
      /** Conflicted paths. */
      readonly files: readonly string[];
      /** The conflicted merged tree; its files hold conflict markers (see describeConflict). */
      readonly tree: string;
      /** The integration head the task conflicted with. */
      readonly head: string;
      /** The task's tip commit. */
      readonly tip: string;
    }
  | {
      readonly kind: "gate-failed";
      readonly taskId: string;
      readonly attempt: number;
      /** The candidate commit (integration head plus this task) the gate rejected. */
      readonly candidate: string;
    }
  | {
      readonly kind: "push-failed";
      readonly taskId: string;
      readonly attempt: number;
      readonly error: string;
    }
  | {
      readonly kind: "skipped";
      readonly taskId: string;
      readonly attempt: number;
      readonly reason: "not-fast-forward" | "missing-commit" | "contended";
      readonly detail: string;
    };

/** A candidate the gate checks: the integration head with one or more tasks applied. */
export interface GateCandidate {
  readonly commit: string;
  readonly tree: string;
  /** Tasks in the candidate, in landing order. */
  readonly taskIds: readonly string[];
}

/**
 * Checks a candidate before the integration branch moves (a build or test in a sandbox).
 * Resolves true to let it land. A rejection is an error, not a failed check.
 */
export type MergeGate = (candidate: GateCandidate, signal: AbortSignal) => Promise<boolean>;
