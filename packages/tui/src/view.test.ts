import { describe, expect, it } from "vitest";
import { recordedRun } from "./__fixtures__/recorded-run.js";
import { describeEvent } from "./describe-event.js";
import { emptyView, reduceView, throughput } from "./view.js";

describe("reduceView", () => {
  it("tracks tasks, workers, merges, health and cost from the events alone", () => {
    const view = emptyView({ usd: 1, tokens: null });
    for (const event of recordedRun({ tasks: 30, workers: 8 })) reduceView(view, event);
    expect(view.order).toHaveLength(30);
    // The recording keeps workers - 1 attempts in flight at its end.
    expect(view.workers.size).toBe(7);
    expect(view.counts.running).toBe(7);
    // Every 7th finished task conflicts; 23 finished, 3 of them (t0007, t0014, t0021) conflicted.
    expect(view.merges).toEqual({
      queued: 0,
      landed: 20,
      noop: 0,
      conflicts: 3,
      autoResolved: 0,
      reverted: 0,
    });
    expect(view.counts.landed).toBe(20);
    expect(view.counts.ready).toBe(3);
    expect(view.health).toEqual({ green: false, failing: "test", commit: "d".repeat(40) });
    expect(view.costUsd).toBeCloseTo(0.06, 6);
    expect(view.tokens).toBe(30_000);
    expect(view.openFixes.size).toBe(1);
  });

  it("flags a run whose sandboxes are off (SANDBOX_PROVIDER=none), and only that", () => {
    const [start] = recordedRun({ tasks: 1, workers: 1 });
    if (start?.type !== "run-start") throw new Error("the recording starts with run-start");
    const isolated = reduceView(emptyView(), start);
    expect(isolated.unsandboxed).toBe(false);
    const off = reduceView(emptyView(), { ...start, settings: { ...start.settings, sandbox: "none" } });
    expect(off.unsandboxed).toBe(true);
  });

  it("tells conflicts the queue resolved and landings that changed nothing apart from landings", () => {
    const view = emptyView();
    const at = (seq: number) => ({ runId: "r", seq, at: seq * 1000 });
    const sha = "b".repeat(40);
    reduceView(view, { ...at(1), type: "merge-enqueue", taskId: "t0001", attempt: 1, commit: sha });
    reduceView(view, {
      ...at(2),
      type: "merge-auto-resolved",
      taskId: "t0001",
      attempt: 1,
      rule: "union-of-additions",
      files: ["src/index.ts"],
      hunks: 2,
    });
    const land = (seq: number, taskId: string, previous: string) =>
      reduceView(view, {
        ...at(seq),
        type: "merge-land",
        taskId,
        attempt: 1,
        sha,
        previous,
        strategy: "rebase",
        noop: previous === sha,
      });
    land(3, "t0001", "a".repeat(40));
    reduceView(view, { ...at(4), type: "merge-enqueue", taskId: "t0002", attempt: 1, commit: sha });
    land(5, "t0002", sha);
    expect(view.merges).toEqual({
      queued: 0,
      landed: 1,
      noop: 1,
      conflicts: 0,
      autoResolved: 1,
      reverted: 0,
    });
    expect(view.landedAt).toEqual([3000]);
    expect(view.log.map((line) => line.slice(9))).toEqual([
      "t0001 conflict resolved by the queue (union-of-additions, 2 hunks): src/index.ts",
      `t0001 landed ${sha.slice(0, 10)}`,
      "t0002 landed nothing new: its work was already on the branch",
    ]);
  });

  it("keeps only the last 200 log lines", () => {
    const view = emptyView();
    for (const event of recordedRun({ tasks: 400, workers: 50 })) reduceView(view, event);
    expect(view.log).toHaveLength(200);
    expect(view.log.at(-1)).toContain("health red (test)");
  });

  it("counts landings per minute for the sparkline", () => {
    const view = emptyView();
    view.now = 10 * 60_000;
    view.landedAt.push(9.5 * 60_000, 9.9 * 60_000, 5.5 * 60_000);
    expect(throughput(view, 5)).toEqual([1, 0, 0, 0, 2]);
  });

  it("describes events in one readable line, and skips the noisy ones", () => {
    const [start] = recordedRun({ tasks: 1, workers: 1 });
    expect(describeEvent(start!)).toBe("run r-demo started: Build per SPEC.md");
    const events = recordedRun({ tasks: 2, workers: 1 });
    expect(events.filter((event) => event.type === "tool-call-start").map(describeEvent)).toEqual([
      null,
      null,
    ]);
  });
});
