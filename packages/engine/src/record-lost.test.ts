import { systemClock } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { MemoryRunLog } from "./__fixtures__/fake-ports.js";
import { fakeRun } from "./__fixtures__/fake-run.js";
import { RunRecordError } from "./engine.js";

/** A run log on a disk that fills up: it takes `room` events, then refuses every one after. */
class FillingLog extends MemoryRunLog {
  #room: number;

  constructor(room: number) {
    super("r-fake", systemClock);
    this.#room = room;
  }

  override append(event: Parameters<MemoryRunLog["append"]>[0]) {
    // What node:sqlite throws when a commit finds the disk full.
    if (this.#room <= 0)
      throw Object.assign(new Error("database or disk is full"), { code: "ERR_SQLITE_ERROR" });
    this.#room -= 1;
    return super.append(event);
  }
}

const tasks = ["one", "two", "three", "four", "five", "six"].map((title) => ({ title }));

describe("a run whose log stops taking events (a full disk)", () => {
  // At the start, while planning, with workers running, and while landing: every point ends the
  // same way, with the error thrown from run and no rejection left unhandled.
  it.each([1, 5, 12, 20, 30, 45])(
    "ends by throwing RunRecordError when event %i is refused",
    async (room) => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on("unhandledRejection", onUnhandled);
      try {
        const log = new FillingLog(room);
        const run = await fakeRun({ planner: { tasks }, settings: { maxWorkers: 3 }, log });
        const error = await run.engine.run(run.start).then(
          () => null,
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(RunRecordError);
        expect((error as RunRecordError).diskFull).toBe(true);
        expect((error as Error).message).toBe(
          "Run r-fake stopped: its record could not be written (database or disk is full); everything recorded before is kept.",
        );
        // What the engine holds is what the log holds: nothing happened that was not recorded.
        expect(run.engine.state.lastSeq).toBe(log.read().length - 1);
        // Every sandbox a worker had was torn down.
        expect(run.sandboxes.live).toBe(0);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(unhandled).toEqual([]);
      } finally {
        process.off("unhandledRejection", onUnhandled);
      }
    },
  );
});
