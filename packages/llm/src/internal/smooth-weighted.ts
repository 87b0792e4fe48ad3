/**
 * Smooth weighted round robin (as in nginx): over any window of picks, each candidate is chosen
 * in proportion to its weight, and the choices interleave instead of coming in bursts.
 */
export class SmoothWeightedRoundRobin {
  readonly #current = new Map<string, number>();

  /** Picks one of `candidates` (non-empty, positive weights) and returns its index. */
  pick(candidates: readonly { readonly key: string; readonly weight: number }[]): number {
    let total = 0;
    let best = -1;
    let bestWeight = Number.NEGATIVE_INFINITY;
    candidates.forEach((candidate, index) => {
      const current = (this.#current.get(candidate.key) ?? 0) + candidate.weight;
      this.#current.set(candidate.key, current);
      total += candidate.weight;
      if (current > bestWeight) {
        bestWeight = current;
        best = index;
      }
    });
    const chosen = candidates[best];
    if (chosen !== undefined) this.#current.set(chosen.key, bestWeight - total);
    return best;
  }
}
