import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Clock, ManualClock, silentLogger, systemClock } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { GitHubClient } from "../github-client.js";
import { startFakeGitHub } from "../testing/index.js";
import type { CycleReport, RepoWatcher } from "./repo-watcher.js";
import { WatchApi } from "./watch-api.js";
import { SqliteWatchJournal } from "./watch-journal.js";
import { WatchLoop } from "./watch-loop.js";
import { startWebhookReceiver } from "./webhook-receiver.js";

/** A repository stand-in whose cycles last until released, so concurrency can be observed. */
function blockingWatcher(
  name: string,
  log: { active: number; peak: number; cycles: string[] },
  fail = 0,
): RepoWatcher {
  let failures = fail;
  return {
    repository: name,
    cycle: async (signal: AbortSignal): Promise<CycleReport> => {
      log.active += 1;
      log.peak = Math.max(log.peak, log.active);
      log.cycles.push(name);
      try {
        await new Promise((resolve) => setTimeout(resolve, 30));
        if (failures > 0) {
          failures -= 1;
          throw new Error("GitHub is down");
        }
        return { repository: name, ran: false, killed: signal.aborted, steps: [] };
      } finally {
        log.active -= 1;
      }
    },
  } as unknown as RepoWatcher;
}

describe("WatchLoop", () => {
  it("cycles repositories at most `parallel` at a time, and stops when told, after cycles in flight", async () => {
    const log = { active: 0, peak: 0, cycles: [] as string[] };
    const watchers = ["a", "b", "c"].map((name) => blockingWatcher(name, log));
    const controller = new AbortController();
    const loop = new WatchLoop({
      watchers,
      parallel: 2,
      intervalMs: 40,
      clock: systemClock,
      logger: silentLogger(),
      signal: controller.signal,
    });
    const running = loop.run();
    await until(() => new Set(log.cycles).size === 3);
    controller.abort();
    const summary = await running;
    expect(summary.reason).toBe("stopped");
    expect(log.peak).toBe(2);
    expect(log.active).toBe(0);
  });

  it("backs off after errors, exponentially, and recovers", async () => {
    const clock = new ManualClock(0);
    // Virtual time: a sleep passes at once unless a finished cycle wakes the loop first.
    const virtual: Clock = {
      now: () => clock.now(),
      sleep: async (ms, signal) => {
        await new Promise((resolve) => setImmediate(resolve));
        if (signal?.aborted) throw signal.reason;
        clock.advance(ms);
      },
    };
    const starts: number[] = [];
    let failures = 3;
    const watcher = {
      repository: "a",
      cycle: async (): Promise<CycleReport> => {
        starts.push(clock.now());
        if (failures > 0) {
          failures -= 1;
          throw new Error("GitHub is down");
        }
        return { repository: "a", ran: false, killed: false, steps: [] };
      },
    } as unknown as RepoWatcher;
    const errors: string[] = [];
    const summary = await new WatchLoop({
      watchers: [watcher],
      parallel: 1,
      intervalMs: 1000,
      deadline: 17_500,
      clock: virtual,
      logger: silentLogger(),
      signal: new AbortController().signal,
      onError: (_repository, error) => errors.push(String(error)),
    }).run();
    expect(summary).toMatchObject({ errors: 3, reason: "deadline" });
    expect(errors[0]).toContain("GitHub is down");
    // 2 s, 4 s, 8 s after the failures, then the normal interval.
    expect(starts).toEqual([0, 2000, 6000, 14_000, 15_000, 16_000, 17_000]);
  });

  it("wakes on a signed webhook delivery, and ignores unsigned ones", async () => {
    const log = { active: 0, peak: 0, cycles: [] as string[] };
    const controller = new AbortController();
    const loop = new WatchLoop({
      watchers: [blockingWatcher("a", log)],
      parallel: 1,
      intervalMs: 60_000,
      clock: systemClock,
      logger: silentLogger(),
      signal: controller.signal,
    });
    const receiver = await startWebhookReceiver({
      port: 0,
      host: "127.0.0.1",
      secret: "s",
      onDelivery: () => loop.wake(),
    });
    const running = loop.run();
    try {
      await until(() => log.cycles.length === 1);
      const body = '{"action":"labeled"}';
      const forged = await fetch(receiver.url, {
        method: "POST",
        body,
        headers: { "x-hub-signature-256": "sha256=0000" },
      });
      expect(forged.status).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(log.cycles).toHaveLength(1);
      const signature = `sha256=${createHmac("sha256", "s").update(body).digest("hex")}`;
      const real = await fetch(receiver.url, {
        method: "POST",
        body,
        headers: { "x-hub-signature-256": signature, "x-github-event": "issues" },
      });
      expect(real.status).toBe(202);
      await until(() => log.cycles.length === 2);
      expect(receiver.stats).toEqual({ accepted: 1, refused: 1 });
    } finally {
      controller.abort();
      await running;
      await receiver.close();
    }
  });
});

describe("WatchApi", () => {
  it("reads conditionally: an unchanged list costs a 304, a change is seen at once", async () => {
    const github = await startFakeGitHub({ token: "t0ken-123", owner: "o", repo: "r" });
    try {
      const api = new WatchApi(
        new GitHubClient({ token: "t0ken-123", owner: "o", repo: "r", baseUrl: github.apiUrl }),
      );
      const signal = new AbortController().signal;
      github.addIssue({ title: "One", labels: ["longshot"] });
      expect((await api.openWithLabel("longshot", signal)).map((issue) => issue.title)).toEqual(["One"]);
      expect((await api.openWithLabel("longshot", signal)).map((issue) => issue.title)).toEqual(["One"]);
      expect(api.stats).toEqual({ reads: 2, notModified: 1 });
      github.addIssue({ title: "Two", labels: ["longshot"] });
      expect((await api.openWithLabel("longshot", signal)).map((issue) => issue.title)).toEqual([
        "One",
        "Two",
      ]);
      expect(api.stats.notModified).toBe(1);
      expect(github.requests.filter((request) => request.status === 304)).toHaveLength(1);
    } finally {
      await github.close();
    }
  });
});

describe("SqliteWatchJournal", () => {
  it("keeps records across reopening, per repository, and refuses a corrupted one loudly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "longshot-journal-"));
    try {
      const path = join(dir, "longshot.db");
      const first = new SqliteWatchJournal(path, "o/a", systemClock);
      const record = {
        number: 3,
        title: "T",
        url: "u",
        branch: "longshot/issue-3",
        phase: "building" as const,
      };
      first.put(record as Parameters<typeof first.put>[0]);
      first.close();
      const again = new SqliteWatchJournal(path, "o/a", systemClock);
      expect(again.get(3)).toMatchObject({ number: 3, phase: "building", runs: [], handledFeedback: [] });
      expect(new SqliteWatchJournal(path, "o/b", systemClock).all()).toEqual([]);
      const { DatabaseSync } = await import("node:sqlite");
      const raw = new DatabaseSync(path);
      raw.prepare("UPDATE github_watch_issues SET json = '{\"number\":3}'").run();
      raw.close();
      expect(() => again.get(3)).toThrow(/stored watch record of o\/a is unreadable/);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let round = 0; round < 1000 && !check(); round += 1)
    await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error("condition never held");
}
