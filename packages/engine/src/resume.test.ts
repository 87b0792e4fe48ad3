import { type LongshotEvent, systemClock } from "@longshot/core";
import { SqliteStore } from "@longshot/store";
import { afterEach, describe, expect, it } from "vitest";
import { FakeLander, MemoryRunLog, RecordingJudge } from "./__fixtures__/fake-ports.js";
import { type FakeRun, fakeBase, fakeRun } from "./__fixtures__/fake-run.js";
import { StoreRunLog } from "./adapters/store-run-log.js";
import { replay } from "./run-state.js";

const runId = "r-resume";
const four = ["one", "two", "three", "four"].map((title) => ({ title }));
const stores: SqliteStore[] = [];

/**
 * A SQLite store in memory (the store's own tests cover the file surviving its process): each
 * engine below reads the run from it as a new process reads it from the file.
 */
function openStore(): SqliteStore {
  const store = new SqliteStore(":memory:", { clock: systemClock });
  stores.push(store);
  return store;
}

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function taskIds(run: FakeRun): string[] {
  return run.harness.requests.map((request) => `${request.task.id}#${request.attempt}`);
}

describe("resume", () => {
  it("replays the run's events from the store into exactly the state the live run had", async () => {
    const store = openStore();
    const judge = new RecordingJudge((input) =>
      input.task.id === "t0002" && input.task.attempts === 1
        ? { accepted: false, feedback: "sum of [] must be 0" }
        : { accepted: true, feedback: "fine" },
    );
    const run = await fakeRun({
      runId,
      log: new StoreRunLog(store, runId),
      judge,
      planner: {
        tasks: [...four, { title: "stats", dependsOn: ["k3"] }, { title: "docs" }],
        onGiveUp: "leave",
      },
      settings: { maxWorkers: 2 },
      attempt: (request) => {
        request.emit({
          type: "model-call-end",
          callId: `call-${request.task.id}-${request.attempt}`,
          role: "worker",
          taskId: request.task.id,
          attempt: request.attempt,
          model: request.model,
          endpoint: "fake",
          ok: true,
          error: null,
          usage: { promptTokens: 1_000, completionTokens: 200, cachedTokens: 100 },
          costUsd: 0.01,
          durationMs: 5,
          retries: 0,
        });
        if (request.task.id === "t0001" && request.attempt === 1)
          return { outcome: "failed", commit: null, reason: "typecheck fails" };
        if (request.task.id === "t0004") return { outcome: "stuck", commit: null, reason: "no progress" };
        return {};
      },
    });
    let conflicted = false;
    run.lander.script = (request) => {
      if (request.taskId !== "t0003" || conflicted) return undefined;
      conflicted = true;
      return { kind: "conflict", files: ["src/index.ts"] };
    };
    run.lander.noop.add("t0006");
    await run.engine.run(run.start);

    const events = store.events(runId);
    expect(events.at(-1)?.seq).toBe(run.engine.state.lastSeq);
    const replayed = replay(runId, events);
    expect(replayed).toEqual(run.engine.state);
    // The run had a bit of everything, so the comparison covers it.
    const states = [...replayed.tasks.values()].map((view) => `${view.task.id} ${view.task.state}`);
    expect(states).toEqual([
      "t0001 landed",
      "t0002 landed",
      "t0003 landed",
      "t0004 failed",
      "t0005 cancelled",
      "t0006 landed",
    ]);
    expect([replayed.landed, replayed.noopLandings, replayed.conflicts]).toEqual([3, 1, 1]);
    expect(replayed.usage.promptTokens).toBe(1_000 * run.harness.requests.length);
  });

  it("does not redo landed work: a stopped run resumed from the store runs only what was left", async () => {
    const store = openStore();
    let stop: (() => void) | null = null;
    const first = await fakeRun({
      runId,
      log: new StoreRunLog(store, runId),
      planner: { tasks: four },
      settings: { maxWorkers: 1 },
      attempt: (request) => {
        if (request.task.id === "t0002") stop?.();
        return {};
      },
    });
    stop = () => first.engine.send({ type: "stop" });
    expect(await first.engine.run(first.start)).toMatchObject({ status: "stopped", interrupted: true });
    expect(first.lander.landed).toEqual(["t0001", "t0002"]);

    const landingsBefore = first.lander.requests.length;
    const second = await fakeRun({
      runId,
      log: new StoreRunLog(store, runId),
      lander: first.lander,
      planner: { tasks: four },
      settings: { maxWorkers: 1 },
    });
    const result = await second.engine.run(null);
    expect(result.status).toBe("green");
    expect(taskIds(second)).toEqual(["t0003#1", "t0004#1"]);
    expect(first.lander.requests.slice(landingsBefore).map((request) => request.taskId)).toEqual([
      "t0003",
      "t0004",
    ]);
    expect(second.log.read().filter((event) => event.type === "run-resume")).toHaveLength(1);
    expect(replay(runId, second.log.read())).toEqual(second.engine.state);
  });

  it("after a crash in an attempt, records the lost attempt as cancelled and runs the task again", async () => {
    let snapshot: LongshotEvent[] = [];
    const first = await fakeRun({
      runId,
      planner: { tasks: four.slice(0, 3) },
      settings: { maxWorkers: 1 },
      attempt: (request) => {
        // The process dies here, in the middle of t0002's first attempt.
        if (request.task.id === "t0002") snapshot = first.log.read();
        return {};
      },
    });
    await first.engine.run(first.start);

    const second = await fakeRun({
      runId,
      log: new MemoryRunLog(runId, systemClock, snapshot),
      planner: { tasks: four.slice(0, 3) },
      settings: { maxWorkers: 1 },
    });
    expect(second.engine.state.tasks.get("t0002")!.task.state).toBe("running");
    const result = await second.engine.run(null);
    expect(result.status).toBe("green");
    expect(taskIds(second)).toEqual(["t0002#2", "t0003#1"]);
    expect(second.harness.requests[0]).toMatchObject({
      model: "worker-model",
      feedback: "Attempt 1 ended cancelled: interrupted: the previous process stopped during this attempt",
    });
    expect(second.lander.landed).toEqual(["t0002", "t0003"]);
  });

  it("after a crash while landing, lands the accepted commit again without a new attempt or review", async () => {
    let snapshot: LongshotEvent[] = [];
    const judge = new RecordingJudge();
    const first = await fakeRun({
      runId,
      planner: { tasks: four.slice(0, 2) },
      settings: { maxWorkers: 1 },
      judge,
    });
    first.lander.script = (request) => {
      if (request.taskId === "t0001") snapshot = first.log.read();
      return undefined;
    };
    await first.engine.run(first.start);

    const resumedJudge = new RecordingJudge();
    const second = await fakeRun({
      runId,
      log: new MemoryRunLog(runId, systemClock, snapshot),
      lander: new FakeLander(fakeBase),
      planner: { tasks: four.slice(0, 2) },
      settings: { maxWorkers: 1 },
      judge: resumedJudge,
    });
    expect(second.engine.state.tasks.get("t0001")!.task.state).toBe("merging");
    const result = await second.engine.run(null);
    expect(result.status).toBe("green");
    expect(second.lander.requests.map((request) => [request.taskId, request.commit])).toEqual([
      ["t0001", "c-t0001-1"],
      ["t0002", "c-t0002-1"],
    ]);
    expect(taskIds(second)).toEqual(["t0002#1"]);
    expect(resumedJudge.reviews.map((review) => review.task.id)).toEqual(["t0002"]);
  });

  it("finishes a run a budget stopped, keeping what landed and the refused task's count of attempts", async () => {
    const store = openStore();
    const first = await fakeRun({
      runId,
      log: new StoreRunLog(store, runId),
      planner: { tasks: four.slice(0, 3) },
      settings: { maxWorkers: 1, maxAttempts: 1 },
      attempt: (request) =>
        request.task.id === "t0002"
          ? { outcome: "budget", commit: null, reason: "The run budget of 1000 tokens would be exceeded" }
          : {},
    });
    expect((await first.engine.run(first.start)).status).toBe("red");

    // MAX_TOKENS raised, the run resumed: t0002 gets the one attempt it is allowed.
    const second = await fakeRun({
      runId,
      log: new StoreRunLog(store, runId),
      lander: first.lander,
      planner: { tasks: four.slice(0, 3) },
      settings: { maxWorkers: 1, maxAttempts: 1 },
    });
    const result = await second.engine.run(null);
    expect(result.status).toBe("green");
    expect(taskIds(second)).toEqual(["t0002#2", "t0003#1"]);
    expect(first.lander.landed).toEqual(["t0001", "t0002", "t0003"]);
  });
});
