/** Outcome of one attempt to move the integration branch. */
export type TargetSwapOutcome =
  | { readonly kind: "moved" }
  /** Another writer moved the branch first; `actual` is its value now (objects available locally). */
  | { readonly kind: "stale"; readonly actual: string | null }
  /** The move did not happen for another reason (network, server hook); may be retried. */
  | { readonly kind: "failed"; readonly error: string };

/**
 * Where the merge queue lands work: a branch that moves only by compare-and-swap. Commits are
 * always computed in the local repository; a remote target also publishes them.
 */
export interface IntegrationTarget {
  /** Full ref name, for events (`refs/heads/longshot/r1/integration`). */
  readonly ref: string;
  /** True when moving the branch means pushing to a remote. */
  readonly remote: boolean;
  /** The branch's current commit (null when it does not exist), available in the local repository. */
  head(signal?: AbortSignal): Promise<string | null>;
  /** Moves the branch from `expected` (null: absent) to `next`, or reports why not. */
  compareAndSwap(next: string, expected: string | null, signal?: AbortSignal): Promise<TargetSwapOutcome>;
}
