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

/** How the queue resolved a file on its own (docs/decisions/0003-union-of-additions.md). */
export type ResolutionRule = "union-of-additions" | "json-manifest" | "lockfile-regenerated";

/** One file the queue resolved without the task. */
export interface AutoResolution {
  readonly file: string;
  readonly rule: ResolutionRule;
  /** Places in the file where both sides' changes met (or keys both changed, for a manifest). */
  readonly hunks: number;
}

/** What a lockfile regeneration is asked to do. */
export interface LockfileRequest {
  readonly taskId: string;
  readonly attempt: number;
  /**
   * A commit (child of the integration head) whose tree is the merged tree: manifests already
   * merged, each lockfile still holding both sides with conflict markers, which pnpm and npm
   * read as the two versions to reconcile.
   */
  readonly commit: string;
  /** Lockfile paths to regenerate, such as `pnpm-lock.yaml` or `packages/app/package-lock.json`. */
  readonly lockfiles: readonly string[];
}

/** The new lockfiles (path to content), or why they could not be made. */
export type LockfileRegeneration =
  | { readonly kind: "regenerated"; readonly files: Readonly<Record<string, string>> }
  | { readonly kind: "failed"; readonly reason: string };

/**
 * Regenerates lockfiles for a merged manifest tree (the package manager's lockfile-only
 * install, in a sandbox). A failure is a value: the conflict then goes back to the task; it
 * never lands a lockfile that was merged as text. Rejects only on cancellation or a bug.
 */
export type RegenerateLockfiles = (
  request: LockfileRequest,
  signal: AbortSignal,
) => Promise<LockfileRegeneration>;

/**
 * What happened to one request. Every kind except `landed` and `no-op` leaves the integration branch
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
      /** Conflicted (or duplicated) files the queue resolved on its own; empty for a clean merge. */
      readonly resolved: readonly AutoResolution[];
      /** Compare-and-swap races lost (and recomputed) before landing. */
      readonly casRetries: number;
    }
  | {
      /**
       * The task's work was already on the integration branch (the squashed change gives the
       * head's tree): nothing was committed and the branch did not move. The task counts as
       * landed, so tasks depending on it may land.
       */
      readonly kind: "no-op";
      readonly taskId: string;
      readonly attempt: number;
      /** The integration head that already holds the work. */
      readonly head: string;
      readonly strategy: MergeStrategy;
      readonly resolved: readonly AutoResolution[];
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
      /** Why the queue could not resolve it on its own when it tried (a lockfile it could not regenerate). */
      readonly detail: string | null;
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
