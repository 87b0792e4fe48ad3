import type { CriticEvidence, CriticKind } from "@longshot/planner";

/** The commits a critic round reviews: what landed since the previous round. */
export interface CriticRange {
  /** The previous round's head, or the run's base commit for the first round. */
  readonly from: string;
  /** The integration head now. */
  readonly to: string;
}

/** Evidence for a critic, or why the critic has nothing to look at this round. */
export type GatheredEvidence = CriticEvidence | { readonly skip: string };

/** Gathers what a critic reads, from git objects on the integration branch (nothing is executed). */
export interface CriticEvidenceSource {
  gather(kind: CriticKind, range: CriticRange, signal: AbortSignal): Promise<GatheredEvidence>;
}
