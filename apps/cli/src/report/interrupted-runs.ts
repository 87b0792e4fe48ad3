import type { RunSummary, Store } from "@longshot/store";

/** What `runs`, `show` and `report` say of a run no process is running any more. */
export function interruptedReason(): string {
  return "interrupted: its process is gone (longshot resume continues it)";
}

/**
 * `store` with every unfinished run that `liveRunId` is not (its process was killed, or the
 * machine went down) shown as what it is: stopped, "interrupted", ended at its last event. The
 * log says nothing of a process that died, so without this `runs` calls it running forever.
 */
export function withInterruptedRuns<T extends Pick<Store, "listRuns" | "getRun">>(
  store: T,
  liveRunId: string | null,
): T {
  const shown = (run: RunSummary): RunSummary =>
    run.endedAt !== null || run.runId === liveRunId
      ? run
      : { ...run, status: "stopped", reason: interruptedReason(), endedAt: run.updatedAt };
  // Only the two run readers change; every other method is the store's own, called on the store
  // (it keeps private fields).
  return new Proxy(store, {
    get(target, key) {
      if (key === "listRuns") return () => target.listRuns().map(shown);
      if (key === "getRun")
        return (runId: string) => {
          const run = target.getRun(runId);
          return run === null ? null : shown(run);
        };
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
