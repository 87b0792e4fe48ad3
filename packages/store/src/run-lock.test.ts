import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "@longshot/core";
import { afterEach, beforeEach, expect, it } from "vitest";
import { acquireRunLock, activeRunLock } from "./run-lock.js";

let dir: string;

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), "longshot-lock-")), ".git", "longshot");
});

afterEach(() => {
  rmSync(join(dir, "..", ".."), { recursive: true, force: true });
});

const everyoneAlive = (): boolean => true;

it("writes the holder into the lock file and removes it on release", () => {
  const lock = acquireRunLock(dir, { pid: 4242, runId: "r1", host: "box" });
  expect(JSON.parse(readFileSync(lock.path, "utf8"))).toEqual({ pid: 4242, runId: "r1", host: "box" });
  expect(lock.tookOverFrom).toBeNull();
  lock.release();
  expect(existsSync(lock.path)).toBe(false);
  lock.release();
});

it("refuses a second run while the first is alive, naming the holder", () => {
  const first = acquireRunLock(dir, { pid: 100, runId: "r1", host: "box", isProcessAlive: everyoneAlive });
  const second = () =>
    acquireRunLock(dir, { pid: 200, runId: "r2", host: "box", isProcessAlive: everyoneAlive });
  expect(second).toThrow(UserError);
  expect(second).toThrow(/Another longshot run \(r1, pid 100\) holds .*run\.lock/);
  first.release();
  const later = acquireRunLock(dir, { pid: 200, runId: "r2", host: "box", isProcessAlive: everyoneAlive });
  expect(later.holder.runId).toBe("r2");
});

it("takes over a stale lock whose process is dead", () => {
  acquireRunLock(dir, { pid: 100, runId: "r1", host: "box" });
  const checked: number[] = [];
  const lock = acquireRunLock(dir, {
    pid: 200,
    runId: "r1",
    host: "box",
    isProcessAlive: (pid) => {
      checked.push(pid);
      return false;
    },
  });
  expect(checked).toEqual([100]);
  expect(lock.tookOverFrom).toEqual({ pid: 100, runId: "r1", host: "box" });
  expect(JSON.parse(readFileSync(lock.path, "utf8"))).toMatchObject({ pid: 200 });
  expect(existsSync(`${lock.path}.takeover`)).toBe(false);
});

it("detects a really dead process with the default check", () => {
  // A pid far above any pid_max is never alive, so process.kill reports ESRCH.
  acquireRunLock(dir, { pid: 2_000_000_000, runId: "r1" });
  const lock = acquireRunLock(dir, { pid: process.pid, runId: "r2" });
  expect(lock.tookOverFrom?.pid).toBe(2_000_000_000);
  const again = () => acquireRunLock(dir, { pid: 12345, runId: "r3" });
  expect(again).toThrow(new RegExp(`pid ${process.pid}`));
});

it("never takes over a lock held on another host", () => {
  acquireRunLock(dir, { pid: 100, runId: "r1", host: "elsewhere" });
  const attempt = () =>
    acquireRunLock(dir, { pid: 200, runId: "r2", host: "box", isProcessAlive: () => false });
  expect(attempt).toThrow(/pid 100 on host elsewhere.*delete the lock file/);
});

it("refuses to take over while another live process is already taking over", () => {
  acquireRunLock(dir, { pid: 100, runId: "r1", host: "box" });
  writeFileSync(join(dir, "run.lock.takeover"), JSON.stringify({ pid: 300, runId: "r3", host: "box" }));
  const attempt = () =>
    acquireRunLock(dir, { pid: 200, runId: "r2", host: "box", isProcessAlive: (pid) => pid === 300 });
  expect(attempt).toThrow(/pid 300\) is taking over/);
});

it("asks the user to remove an unreadable lock file", () => {
  acquireRunLock(dir, { pid: 100, runId: "r1", host: "box" }).release();
  writeFileSync(join(dir, "run.lock"), "");
  expect(() => acquireRunLock(dir, { pid: 200, runId: "r2", host: "box" })).toThrow(/unreadable/);
});

it("says which run is active: a live holder or another host's, never a dead process's", () => {
  expect(activeRunLock(dir)).toBeNull();
  const lock = acquireRunLock(dir, { pid: process.pid, runId: "r1" });
  expect(activeRunLock(dir)).toMatchObject({ pid: process.pid, runId: "r1" });
  lock.release();
  acquireRunLock(dir, { pid: 2_000_000_000, runId: "r2" });
  expect(activeRunLock(dir)).toBeNull();
  expect(activeRunLock(dir, { host: "another-box" })).toMatchObject({ runId: "r2" });
});
