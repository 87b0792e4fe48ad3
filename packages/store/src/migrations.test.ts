import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { ManualClock, parseEvent, UserError } from "@longshot/core";
import { afterEach, beforeEach, expect, it } from "vitest";
import { runId, scenario } from "./__fixtures__/scenario.js";
import { migrations } from "./internal/migrations.js";
import { SqliteStore } from "./sqlite-store.js";

let dir: string;
let path: string;
const clock = new ManualClock(5000);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "longshot-migrate-"));
  path = join(dir, "longshot.db");
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

it("migrates a version-1 file that only holds the event log and builds its projections", () => {
  const old = new DatabaseSync(path);
  migrations[0]!.up(old);
  old.exec("PRAGMA user_version = 1");
  const insert = old.prepare("INSERT INTO events (run_id, seq, type, at, json) VALUES (?, ?, ?, ?, ?)");
  scenario().forEach((event, index) => {
    const recorded = parseEvent({ ...event, runId, seq: index + 1, at: 1000 + index });
    insert.run(runId, recorded.seq, recorded.type, recorded.at, JSON.stringify(recorded));
  });
  old.close();

  const store = new SqliteStore(path, { clock });
  expect(store.getRun(runId)).toMatchObject({ status: "red", taskTotal: 4, merges: { landed: 1 } });
  expect(store.listTasks(runId, { state: "landed" }).map((task) => task.id)).toEqual(["t0001"]);
  store.append(runId, { type: "run-resume", reason: "after upgrade" });
  expect(store.lastSeq(runId)).toBe(scenario().length + 1);
  store.close();

  const check = new DatabaseSync(path);
  expect(check.prepare("PRAGMA user_version").get()).toEqual({ user_version: migrations.length });
  expect(check.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all()).toEqual([
    { version: 2, name: "projections" },
  ]);
  check.close();
});

it("records every migration of a new file", () => {
  new SqliteStore(path, { clock }).close();
  const check = new DatabaseSync(path);
  expect(check.prepare("SELECT version FROM schema_migrations ORDER BY version").all()).toEqual(
    migrations.map((_, index) => ({ version: index + 1 })),
  );
  check.close();
});

it("refuses a file written by a newer longshot and leaves it untouched", () => {
  new SqliteStore(path, { clock }).close();
  const newer = new DatabaseSync(path);
  newer.exec("PRAGMA user_version = 99");
  newer.close();
  expect(() => new SqliteStore(path, { clock })).toThrow(UserError);
  expect(() => new SqliteStore(path, { clock })).toThrow(/newer longshot \(schema 99/);
  const check = new DatabaseSync(path);
  expect(check.prepare("PRAGMA user_version").get()).toEqual({ user_version: 99 });
  check.close();
});

it("refuses a file that is not a database with a user error", () => {
  writeFileSync(path, "this is not sqlite at all, just some text that fills the header page\n".repeat(20));
  expect(() => new SqliteStore(path, { clock })).toThrow(UserError);
});
