import type { RunSummary, Store } from "./store.js";

/** What a run no process is running any more says as its reason. */
export const interruptedReason = "interrupted: its process is gone (longshot resume continues it)";

/**
 * `store` with every unfinished run that is not the one `liveRunId` names at the time of the read
 * (its process was killed, or the machine went down) shown as what it is: stopped, "interrupted",
 * ended at its last event. The log says nothing of a process that died, so without this a killed
 * run reads as running forever.
 */
export function withInterruptedRuns<T extends Pick<Store, "listRuns" | "getRun">>(
  store: T,
  liveRunId: () => string | null,
): T {
  const shown = (run: RunSummary, live: string | null): RunSummary =>
    run.endedAt !== null || run.runId === live
      ? run
      : { ...run, status: "stopped", reason: interruptedReason, endedAt: run.updatedAt };
  // Only the two run readers change; every other method is the store's own, called on the store
  // (it keeps private fields).
  return new Proxy(store, {
    get(target, key) {
      if (key === "listRuns")
        return () => {
          const live = liveRunId();
          return target.listRuns().map((run) => shown(run, live));
        };
      if (key === "getRun")
        return (runId: string) => {
          const run = target.getRun(runId);
          return run === null ? null : shown(run, liveRunId());
        };
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
