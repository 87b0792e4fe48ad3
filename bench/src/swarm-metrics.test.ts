import type { LongshotEvent, NewEvent, Task } from "@longshot/core";
import { fakeTask } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import { phaseBreakdown } from "./phase-breakdown.ts";
import { runTasks, swarmCounts } from "./swarm-metrics.ts";

/** A recorded run, built event by event at the given times. */
function recorder() {
  const events: LongshotEvent[] = [];
  return {
    events,
    at(at: number, event: NewEvent) {
      events.push({ ...event, runId: "r", seq: events.length, at } as LongshotEvent);
    },
  };
}

function task(id: string, state: Task["state"], dependsOn: string[] = []): Task {
  return fakeTask("r", id, { state, dependsOn, createdAt: 0, title: id, description: id });
}

function runOf() {
  const run = recorder();
  run.at(1_000, {
    type: "run-start",
    request: "x",
    repo: "/r",
    baseCommit: "b",
    targetBranch: "main",
    integrationBranch: "i",
  });
  run.at(1_100, { type: "task-add", task: task("t1", "ready") });
  run.at(1_100, { type: "task-add", task: task("t2", "pending", ["t1"]) });
  run.at(1_100, { type: "plan-batch", batch: 1, taskIds: ["t1"], final: false });
  run.at(1_200, { type: "plan-batch", batch: 2, taskIds: ["t2"], final: true });
  run.at(1_300, {
    type: "task-transition",
    taskId: "t1",
    from: "ready",
    to: "running",
    reason: "dispatched",
  });
  run.at(1_350, {
    type: "attempt-start",
    taskId: "t1",
    attempt: 1,
    model: "m",
    harness: "h",
    sandbox: "local",
    baseCommit: "b",
  });
  run.at(1_400, { type: "sandbox-create", taskId: "t1", sandbox: "s1", provider: "local", readyMs: 50 });
  run.at(1_900, { type: "sandbox-destroy", taskId: "t1", sandbox: "s1" });
  run.at(1_910, {
    type: "attempt-end",
    taskId: "t1",
    attempt: 1,
    outcome: "complete",
    commit: "c1",
    handoff: null,
    reason: "",
  });
  run.at(2_000, {
    type: "task-transition",
    taskId: "t1",
    from: "running",
    to: "review",
    reason: "handed off",
  });
  run.at(2_300, { type: "judge-verdict", taskId: "t1", attempt: 1, accepted: true, feedback: "ok" });
  run.at(2_310, { type: "merge-enqueue", taskId: "t1", attempt: 1, commit: "c1" });
  run.at(2_350, { type: "merge-conflict", taskId: "t1", attempt: 1, files: ["src/index.ts"] });
  run.at(2_360, { type: "merge-enqueue", taskId: "t1", attempt: 2, commit: "c2" });
  run.at(2_400, {
    type: "merge-land",
    taskId: "t1",
    attempt: 2,
    sha: "s",
    previous: "p",
    strategy: "rebase",
  });
  run.at(2_400, { type: "task-transition", taskId: "t1", from: "merging", to: "landed", reason: "landed" });
  // A replan later adds a task: it is not part of the root plan's batches.
  run.at(2_500, { type: "task-add", task: task("t3", "ready") });
  run.at(2_500, { type: "plan-batch", batch: 3, taskIds: ["t3"], final: true });
  run.at(3_000, { type: "run-end", status: "green", reason: "done", head: "s" });
  return run.events;
}

describe("a run's counts", () => {
  it("count landings, completed work, conflicts and root-plan batches from the log", () => {
    const counts = swarmCounts(runOf());
    expect(counts).toMatchObject({
      tasks: 3,
      landed: 1,
      completed: 1,
      conflicts: 1,
      attempts: 1,
      batches: 2,
    });
    expect(counts.landingsMs).toEqual([1_400]);
    expect(counts.sandboxReadyMs).toEqual([50]);
    expect(counts.status).toBe("green");
  });

  it("count a task that landed without entering the queue (nothing left to merge) as completed, so no share exceeds 100%", () => {
    const log = recorder();
    log.at(0, { type: "task-add", task: task("t1", "pending") });
    log.at(10, {
      type: "task-transition",
      taskId: "t1",
      from: "pending",
      to: "landed",
      reason: "nothing to merge",
    });
    const counts = swarmCounts(log.events);
    expect(counts.landed).toBe(1);
    expect(counts.completed).toBe(1);
  });

  it("map each task to the root-plan batch that proposed it, and later tasks to none", () => {
    const tasks = runTasks(runOf());
    expect(tasks.map((entry) => [entry.id, entry.batch, entry.landed])).toEqual([
      ["t1", 1, true],
      ["t2", 2, false],
      ["t3", null, false],
    ]);
    expect(tasks[1]?.dependsOn).toEqual(["t1"]);
  });
});

describe("where a landed attempt's time went", () => {
  it("splits ready-to-landed into the worker's phases", () => {
    const phases = phaseBreakdown(runOf());
    expect(phases).toMatchObject({
      attempts: 1,
      waitForWorker: 200,
      dispatch: 50,
      sandboxCreate: 50,
      agent: 500,
      destroy: 10,
      plannerUpdate: 90,
      review: 300,
      merge: 100,
      total: 1_300,
    });
  });
});
