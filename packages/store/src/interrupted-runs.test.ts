import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "@longshot/core";
import { afterEach, expect, it } from "vitest";
import { runId, scenario } from "./__fixtures__/scenario.js";
import { interruptedReason, withInterruptedRuns } from "./interrupted-runs.js";
import { SqliteStore } from "./sqlite-store.js";

const dir = mkdtempSync(join(tmpdir(), "longshot-interrupted-"));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("shows an unfinished run that no live process holds as stopped and interrupted, asking at every read", () => {
  const clock = new ManualClock(1_700_000_000_000);
  const store = new SqliteStore(join(dir, "longshot.db"), { clock });
  // The scenario without its end: the process died after its last event.
  for (const event of scenario().filter((event) => event.type !== "run-end")) {
    store.append(runId, event);
    clock.advance(100);
  }
  let live: string | null = runId;
  const view = withInterruptedRuns(store, () => live);
  expect(view.getRun(runId)).toMatchObject({ status: "draining", endedAt: null });
  live = null;
  const [listed] = view.listRuns();
  expect(listed).toMatchObject({ status: "stopped", reason: interruptedReason });
  expect(listed?.endedAt).toBe(listed?.updatedAt);
  expect(view.getRun(runId)?.status).toBe("stopped");
  expect(view.getRun("r-none")).toBeNull();
  // Every other method is the store's own, private fields and all.
  expect(view.events(runId).length).toBeGreaterThan(3);
  view.close();
});
