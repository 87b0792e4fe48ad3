import { UserError } from "@longshot/core/errors";

/** What run-id resolution needs of a store: its runs, newest first. */
export interface RunIndex {
  listRuns(): readonly { readonly runId: string; readonly status: string }[];
}

/**
 * The run a user means by `text`: `latest` (the newest run), a full id, or a prefix that only
 * one run id starts with. Throws a UserError naming the candidates when the prefix is
 * ambiguous, and one pointing at `longshot runs` when nothing matches.
 */
export function resolveRunId(index: RunIndex, text: string): string {
  const runs = index.listRuns();
  if (text === "latest" || text === "last") {
    const newest = runs[0];
    if (newest === undefined)
      throw new UserError("This repository has no runs yet, so there is no latest run.");
    return newest.runId;
  }
  if (runs.some((run) => run.runId === text)) return text;
  const matches = text === "" ? [] : runs.filter((run) => run.runId.startsWith(text));
  if (matches.length === 1) return matches[0]!.runId;
  if (matches.length > 1) {
    const shown = matches
      .slice(0, 5)
      .map((run) => run.runId)
      .join(", ");
    throw new UserError(
      `${matches.length} runs start with ${text} (${shown}${matches.length > 5 ? ", …" : ""}); give more of the id, or latest.`,
    );
  }
  throw new UserError(
    `There is no run ${text} in this repository; longshot runs lists them (or use latest).`,
  );
}
