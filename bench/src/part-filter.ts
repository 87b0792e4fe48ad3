/** The suite's parts that are not swarm scenarios, by the name a filter uses for them. */
export const packageParts = ["merge-queue", "sandboxes", "model-client", "agent-loop", "cli-start"] as const;

/**
 * Which parts of the suite a run includes: every part, or only those a comma-separated filter
 * names (`LONGSHOT_BENCH_ONLY=swarm-500,landing`). A name selects the part of that name
 * (`swarm-500`, `landing-200`, `merge-queue`) and, as a prefix before a dash, every part it
 * begins (`swarm` selects `swarm-500` and `swarm-1000`).
 */
export interface PartFilter {
  /** Whether the run is the whole suite (no filter). */
  readonly complete: boolean;
  readonly includes: (part: string) => boolean;
}

/**
 * Parses a filter against the parts the suite has. Throws an Error whose message says which
 * names select nothing and what the parts are (a typo must not turn into an empty run).
 */
export function partFilter(filter: string | undefined, parts: readonly string[]): PartFilter {
  const names = (filter ?? "")
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== "");
  if (names.length === 0) return { complete: true, includes: () => true };
  const selects = (name: string, part: string): boolean => part === name || part.startsWith(`${name}-`);
  const unknown = names.filter((name) => !parts.some((part) => selects(name, part)));
  if (unknown.length > 0) {
    throw new Error(
      `LONGSHOT_BENCH_ONLY names no part of the suite: ${unknown.join(", ")}; the parts are ${parts.join(", ")}.`,
    );
  }
  return { complete: false, includes: (part) => names.some((name) => selects(name, part)) };
}
