import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { InternalError, ManualClock, type NewEvent } from "@longshot/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runId, scenario, task } from "./__fixtures__/scenario.js";
import { SqliteStore } from "./sqlite-store.js";

let dir: string;
let path: string;
let clock: ManualClock;
const open: SqliteStore[] = [];

function openStore(options: { pollMs?: number } = {}): SqliteStore {
  const store = new SqliteStore(path, { clock, ...options });
  open.push(store);
  return store;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "longshot-store-"));
  path = join(dir, ".git", "longshot", "longshot.db");
  clock = new ManualClock(1_700_000_000_000);
});

afterEach(() => {
  for (const store of open.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("append and events", () => {
  it("numbers events from 1 per run, stamps them with the clock and reads them back validated", () => {
    const store = openStore();
    const first = store.append(runId, { type: "run-drain", reason: "budget" });
    clock.advance(250);
    const second = store.append(runId, { type: "log", level: "warn", message: "slow" });
    store.append("other-run", { type: "run-drain", reason: "budget" });

    expect(first).toEqual({ type: "run-drain", runId, seq: 1, at: 1_700_000_000_000, reason: "budget" });
    expect(second).toEqual({
      type: "log",
      runId,
      seq: 2,
      at: 1_700_000_000_250,
      level: "warn",
      message: "slow",
      taskId: null,
    });
    expect(store.events(runId)).toEqual([first, second]);
    expect(store.lastSeq(runId)).toBe(2);
    expect(store.lastSeq("other-run")).toBe(1);
    expect(store.lastSeq("nobody")).toBe(0);
  });

  it("filters by sequence, type and limit", () => {
    const store = openStore();
    store.appendBatch(runId, scenario());
    const merges = store.events(runId, { types: ["merge-land", "merge-revert"] });
    expect(merges.map((event) => event.type)).toEqual(["merge-land", "merge-revert"]);
    const page = store.events(runId, { afterSeq: 3, limit: 2 });
    expect(page.map((event) => event.seq)).toEqual([4, 5]);
  });

  it("refuses an invalid event and records nothing of its batch", () => {
    const store = openStore();
    store.append(runId, { type: "run-drain", reason: "budget" });
    const invalid = { type: "task-transition", taskId: "t1", from: "pending", to: "flying", reason: "" };
    expect(() =>
      store.appendBatch(runId, [
        { type: "log", level: "info", message: "a" },
        invalid as unknown as NewEvent,
      ]),
    ).toThrow(InternalError);
    expect(store.events(runId).map((event) => event.type)).toEqual(["run-drain"]);
  });

  it("keeps events across reopening the file and sees them from a second connection", () => {
    const writer = openStore();
    writer.appendBatch(runId, scenario());
    const reader = openStore();
    expect(reader.lastSeq(runId)).toBe(scenario().length);
    writer.close();
    const reopened = openStore();
    expect(reopened.events(runId)).toEqual(reader.events(runId));
    expect(reopened.getRun(runId)?.status).toBe("red");
  });

  it("gives unique consecutive sequence numbers when two connections append to one run", () => {
    const a = openStore();
    const b = openStore();
    for (let index = 0; index < 20; index += 1) {
      (index % 3 === 0 ? b : a).append(runId, { type: "log", level: "info", message: `m${index}` });
    }
    const events = a.events(runId);
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(events.map((event) => (event.type === "log" ? event.message : ""))).toEqual(
      Array.from({ length: 20 }, (_, index) => `m${index}`),
    );
  });

  it("uses WAL so readers do not block the writer", () => {
    openStore();
    const raw = new DatabaseSync(path);
    expect(raw.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    raw.close();
  });
});

describe("projections", () => {
  it("summarises a run: status, tasks by state, spend, merges and last health", () => {
    const store = openStore();
    store.appendBatch(runId, scenario());
    const run = store.getRun(runId);
    expect(run).toMatchObject({
      runId,
      request: "Build per SPEC.md",
      status: "red",
      reason: "build still failing",
      head: "revert1",
      settings: { MAX_WORKERS: 8 },
      lastSeq: scenario().length,
      taskTotal: 4,
      modelCalls: 2,
      costUsd: 0.75,
      usage: { promptTokens: 2000, completionTokens: 400, cachedTokens: 200 },
      merges: { landed: 1, conflicts: 1, reverted: 1 },
    });
    expect(run?.tasks).toMatchObject({ landed: 1, pending: 2, ready: 1, running: 0 });
    expect(run?.lastHealth).toMatchObject({ commit: "revert1", green: true });
    expect(store.listRuns().map((summary) => summary.runId)).toEqual([runId]);
    expect(store.getRun("missing")).toBeNull();
  });

  it("lists tasks by state and kind, with updates applied", () => {
    const store = openStore();
    store.appendBatch(runId, scenario());
    expect(store.listTasks(runId).map((t) => t.id)).toEqual(["t0001", "t0002", "t0003", "t0004"]);
    expect(store.listTasks(runId, { state: "pending" }).map((t) => t.id)).toEqual(["t0002", "t0003"]);
    expect(store.listTasks(runId, { state: ["landed", "ready"] }).map((t) => t.id)).toEqual([
      "t0001",
      "t0004",
    ]);
    expect(store.listTasks(runId, { kind: "fix" }).map((t) => t.id)).toEqual(["t0004"]);
    expect(store.listTasks(runId, { kind: "fix", state: "pending" })).toEqual([]);
    const renamed = store.listTasks(runId, { state: "pending" })[0];
    expect(renamed).toMatchObject({
      title: "Renamed",
      scope: ["src/b.ts", "src/c.ts"],
      description: "Do t0002",
    });
    expect(store.listTasks(runId, { state: "pending" })[1]).toEqual(task("t0003"));
  });

  it("details a task with its attempts, verdicts, handoffs and merges", () => {
    const store = openStore();
    store.appendBatch(runId, scenario());
    const detail = store.getTask(runId, "t0001");
    expect(detail?.task).toMatchObject({ state: "landed", attempts: 2 });
    expect(
      detail?.attempts.map((a) => [a.number, a.model, a.outcome, a.accepted, a.feedback, a.commit]),
    ).toEqual([
      [1, "worker-a", "complete", false, "missing test", "c0ffee1"],
      [2, "worker-b", "complete", true, "", "c0ffee2"],
    ]);
    expect(detail?.handoffs.map((entry) => [entry.attempt, entry.handoff.summary])).toEqual([
      [1, "wrote t0001"],
      [2, "wrote t0001 with a test"],
    ]);
    expect(detail?.merges).toEqual([
      expect.objectContaining({
        outcome: "landed",
        sha: "land1",
        revertedBy: "revert1",
        revertReason: "fixes exhausted",
      }),
    ]);
    expect(store.getTask(runId, "t0004")?.fix).toMatchObject({ fingerprint: "fp-build-1", culprit: "land1" });
    expect(store.getTask(runId, "nope")).toBeNull();
  });

  it("reports spend by role and model, tool calls, merges, fixes and health history", () => {
    const store = openStore();
    store.appendBatch(runId, scenario());
    expect(store.costByRole(runId).map((row) => [row.key, row.calls, row.costUsd])).toEqual([
      ["planner", 1, 0.5],
      ["worker", 1, 0.25],
    ]);
    expect(store.costByModel(runId).map((row) => row.key)).toEqual(["planner-model", "worker-a"]);
    expect(store.toolCalls(runId, "t0001")).toEqual([
      expect.objectContaining({ callId: "k1", tool: "write", ok: true, output: "ok", attempt: 1 }),
    ]);
    expect(store.toolCalls(runId, "t0001", 2)).toEqual([]);
    expect(store.merges(runId).map((merge) => [merge.taskId, merge.outcome])).toEqual([
      ["t0001", "landed"],
      ["t0003", "conflict"],
      ["t0002", "gate-failed"],
    ]);
    expect(store.merges(runId)[1]?.files).toEqual(["src/shared.ts"]);
    expect(store.fixes(runId)).toEqual([expect.objectContaining({ taskId: "t0004", culprit: "land1" })]);
    const history = store.healthHistory(runId);
    expect(history.map((sweep) => [sweep.commit, sweep.green])).toEqual([
      ["land1", false],
      ["revert1", true],
    ]);
    expect(history[0]?.checks[0]?.excerpt).toContain("TS2322");
    expect(store.healthHistory(runId, { limit: 1 }).map((sweep) => sweep.commit)).toEqual(["revert1"]);
  });

  it("records a landing that changed nothing as a no-op, not as a landing", () => {
    const store = openStore();
    store.appendBatch(runId, scenario());
    const before = store.getRun(runId)?.merges;
    store.appendBatch(runId, [
      {
        type: "merge-land",
        taskId: "t0003",
        attempt: 2,
        sha: "land1",
        previous: "land1",
        strategy: "rebase",
        noop: true,
      },
      {
        type: "merge-auto-resolved",
        taskId: "t0003",
        attempt: 2,
        rule: "union-of-additions",
        files: ["src/index.ts"],
        hunks: 1,
      },
    ]);
    expect(store.merges(runId).at(-1)).toMatchObject({ taskId: "t0003", outcome: "no-op", sha: "land1" });
    expect(store.getRun(runId)?.merges).toEqual(before);
    expect(store.events(runId, { types: ["merge-auto-resolved"] })).toEqual([
      expect.objectContaining({ taskId: "t0003", rule: "union-of-additions", files: ["src/index.ts"] }),
    ]);
  });

  it("rebuilds identical projection tables by replaying the log", () => {
    const store = openStore();
    store.appendBatch(runId, scenario());
    store.appendBatch("second-run", scenario());
    const before = dumpProjections(path);

    const vandal = new DatabaseSync(path);
    vandal.exec(
      "DELETE FROM tasks; UPDATE runs SET status = 'green'; DELETE FROM merges WHERE outcome = 'conflict'",
    );
    vandal.close();
    expect(dumpProjections(path)).not.toEqual(before);

    store.rebuildProjections();
    expect(dumpProjections(path)).toEqual(before);
  });
});

describe("follow", () => {
  it("tails events appended by another connection, from a given sequence number", async () => {
    const writer = openStore();
    const follower = openStore({ pollMs: 10 });
    writer.append(runId, { type: "log", level: "info", message: "one" });
    writer.append(runId, { type: "log", level: "info", message: "two" });
    const controller = new AbortController();
    const seen: number[] = [];
    const done = (async () => {
      for await (const event of follower.follow(runId, 1, controller.signal)) {
        seen.push(event.seq);
        if (seen.length === 3) controller.abort();
      }
    })();
    await until(() => seen.length === 1);
    writer.append(runId, { type: "run-drain", reason: "budget" });
    writer.append(runId, { type: "log", level: "info", message: "bye" });
    await done;
    expect(seen).toEqual([2, 3, 4]);
  });

  it("wakes at once for appends through the same store and can stop at run-end", async () => {
    const store = openStore({ pollMs: 60_000 });
    const seen: string[] = [];
    const done = (async () => {
      for await (const event of store.follow(runId, 0, new AbortController().signal, { untilRunEnd: true })) {
        seen.push(event.type);
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 10));
    store.append(runId, { type: "run-drain", reason: "done" });
    store.append(runId, { type: "run-end", status: "stopped", reason: "user", head: null });
    await done;
    expect(seen).toEqual(["run-drain", "run-end"]);
  });

  it("ends quietly when its signal aborts while waiting", async () => {
    const store = openStore({ pollMs: 60_000 });
    const controller = new AbortController();
    const seen: number[] = [];
    const done = (async () => {
      for await (const event of store.follow(runId, 0, controller.signal)) seen.push(event.seq);
    })();
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    await done;
    expect(seen).toEqual([]);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 500 && !condition(); tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(condition()).toBe(true);
}

const tables = ["runs", "tasks", "attempts", "model_calls", "tool_calls", "merges", "health_checks", "fixes"];

function dumpProjections(file: string): Record<string, unknown[]> {
  const db = new DatabaseSync(file, { readOnly: true });
  const dump = Object.fromEntries(
    tables.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3`).all()]),
  );
  db.close();
  return dump;
}
