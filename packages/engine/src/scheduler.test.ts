import type { LongshotEvent, Task } from "@longshot/core";
import { fakeTask } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import { runStateOf } from "./__fixtures__/run-state-of.js";
import { applyEvent, type RunState } from "./run-state.js";
import { decide, isSettled } from "./scheduler.js";

let seq = 0;
function event(body: Record<string, unknown>): LongshotEvent {
  seq += 1;
  return { runId: "r1", seq, at: seq, ...body } as LongshotEvent;
}

function task(id: string, overrides: Partial<Task> = {}): Task {
  return fakeTask("r1", id, { title: id, description: id, createdAt: 0, ...overrides });
}

const stateWith = (tasks: Task[]): RunState => runStateOf(tasks);

/** The tasks `decide` dispatches, in order. */
function dispatched(state: RunState, limits: Parameters<typeof decide>[1]): string[] {
  return decide(state, limits)
    .filter((d) => d.kind === "dispatch")
    .map((d) => d.taskId);
}

function move(state: RunState, taskId: string, to: Task["state"]): void {
  const from = state.tasks.get(taskId)!.task.state;
  applyEvent(state, event({ type: "task-transition", taskId, from, to, reason: "test" }));
}

/** Runs a task's one attempt to the end and lands it, its handoff naming `filesChanged`. */
function finish(state: RunState, id: string, filesChanged: string[]): void {
  move(state, id, "ready");
  move(state, id, "running");
  applyEvent(
    state,
    event({
      type: "attempt-start",
      taskId: id,
      attempt: 1,
      model: "m",
      harness: "h",
      sandbox: "s",
      baseCommit: "b",
    }),
  );
  applyEvent(
    state,
    event({
      type: "attempt-end",
      taskId: id,
      attempt: 1,
      outcome: "complete",
      commit: "c",
      handoff: { status: "complete", summary: "done", filesChanged, concerns: [], suggestions: [] },
      reason: "done",
    }),
  );
  move(state, id, "merging");
  move(state, id, "landed");
}

describe("decide", () => {
  it("promotes a pending task only when every dependency has landed", () => {
    const state = stateWith([task("t0001"), task("t0002", { dependsOn: ["t0001"] })]);
    expect(
      decide(state, { maxWorkers: 4 })
        .filter((d) => d.kind === "promote")
        .map((d) => d.taskId),
    ).toEqual(["t0001"]);
    move(state, "t0001", "ready");
    move(state, "t0001", "running");
    move(state, "t0001", "merging");
    expect(decide(state, { maxWorkers: 4 }).some((d) => d.taskId === "t0002")).toBe(false);
    move(state, "t0001", "landed");
    expect(decide(state, { maxWorkers: 4 })).toContainEqual({
      kind: "promote",
      taskId: "t0002",
      reason: "dependencies landed",
    });
  });

  it("dispatches by priority and never beyond the free worker slots", () => {
    const state = stateWith([
      task("t0001", { priority: 10 }),
      task("t0002", { priority: 90 }),
      task("t0003", { priority: 50 }),
    ]);
    for (const id of ["t0001", "t0002", "t0003"]) move(state, id, "ready");
    expect(dispatched(state, { maxWorkers: 2 })).toEqual(["t0002", "t0003"]);
  });

  it("holds back a task whose scope overlaps one that is running or merging", () => {
    const state = stateWith([
      task("t0001", { scope: ["src/db/**"] }),
      task("t0002", { scope: ["src/db/schema.ts"] }),
      task("t0003", { scope: ["src/ui/app.ts"] }),
    ]);
    for (const id of ["t0001", "t0002", "t0003"]) move(state, id, "ready");
    move(state, "t0001", "running");
    move(state, "t0001", "merging");
    expect(dispatched(state, { maxWorkers: 8 })).toEqual(["t0003"]);
  });

  it("never dispatches two ready tasks with overlapping scopes at once", () => {
    const state = stateWith([task("t0001", { scope: ["src/a.ts"] }), task("t0002", { scope: ["src/a.ts"] })]);
    move(state, "t0001", "ready");
    move(state, "t0002", "ready");
    expect(dispatched(state, { maxWorkers: 8 })).toHaveLength(1);
  });

  it("dispatches tasks that would collide on a hot file after those that would not, and no more than its width", () => {
    const barrel = (id: string) =>
      task(id, { description: `Implement ${id} and export it from src/index.ts.`, scope: [`src/${id}.ts`] });
    const state = stateWith([
      barrel("t0001"),
      barrel("t0002"),
      barrel("t0003"),
      barrel("t0004"),
      task("t0005"),
    ]);
    for (const id of ["t0001", "t0002", "t0003", "t0004", "t0005"]) move(state, id, "ready");
    move(state, "t0001", "running");
    // t0005 touches no hot file: it goes first though it was created last. Two more barrel
    // tasks fit beside the one running (width 3); the fourth waits while others run.
    expect(dispatched(state, { maxWorkers: 8, hotFileWidth: 3 })).toEqual(["t0005", "t0002", "t0003"]);
    // With no free slot for the rest, the task that collides with nothing still gets the slot.
    expect(dispatched(state, { maxWorkers: 2, hotFileWidth: 3 })).toEqual(["t0005"]);
    // The default width is a quarter of the workers, at least 2.
    expect(dispatched(state, { maxWorkers: 8 })).toEqual(["t0005", "t0002"]);
  });

  it("lifts the cap on a guessed hot file once finished work shows its tasks do not change it, until it conflicts", () => {
    const named = (id: string) =>
      task(id, { acceptance: [`${id} is exported from src/index.ts`], scope: [`src/${id}.ts`] });
    const ids = ["t0001", "t0002", "t0003", "t0004", "t0005", "t0006", "t0007"];
    const state = stateWith(ids.map(named));
    for (const id of ["t0004", "t0005", "t0006", "t0007"]) move(state, id, "ready");
    const oneHotFileWide = () => dispatched(state, { maxWorkers: 8, hotFileWidth: 1 });
    // Two finished tasks that did not change src/index.ts are not proof yet: one at a time.
    finish(state, "t0001", ["src/t0001.ts"]);
    finish(state, "t0002", ["src/t0002.ts"]);
    expect(oneHotFileWide()).toHaveLength(1);
    // A third is: every worker may take a task that only names it.
    finish(state, "t0003", ["src/t0003.ts"]);
    expect(oneHotFileWide()).toEqual(["t0004", "t0005", "t0006", "t0007"]);
    // Once it conflicts, the cap is back whatever the guesses said.
    move(state, "t0004", "running");
    move(state, "t0004", "merging");
    applyEvent(
      state,
      event({ type: "merge-conflict", taskId: "t0004", attempt: 1, files: ["src/index.ts"] }),
    );
    expect(oneHotFileWide()).toEqual([]);
  });

  it("keeps the cap on a hot file that finished tasks do change, scaled by the share of them that did", () => {
    const named = (id: string) =>
      task(id, { description: `Implement ${id} and export it from src/index.ts.`, scope: [`src/${id}.ts`] });
    const ready = ["t0004", "t0005", "t0006", "t0007", "t0008"];
    const run = (changers: number): string[] => {
      const state = stateWith(["t0001", "t0002", "t0003", ...ready].map(named));
      for (const [index, id] of ["t0001", "t0002", "t0003"].entries()) {
        finish(state, id, index < changers ? [`src/${id}.ts`, "src/index.ts"] : [`src/${id}.ts`]);
      }
      for (const id of ready) move(state, id, "ready");
      return dispatched(state, { maxWorkers: 8, hotFileWidth: 1 });
    };
    // Every finished task changed it: one at a time, the width.
    expect(run(3)).toEqual(["t0004"]);
    // One in three did: three tasks that name it are in flight for each expected to change it.
    expect(run(1)).toEqual(["t0004", "t0005", "t0006"]);
    // None did: the guess is disproved and the cap goes.
    expect(run(0)).toEqual(ready);
  });

  it("learns hot files from the run's conflicts, and counts a re-run's conflicted files as its own", () => {
    const state = stateWith([
      task("t0001", { scope: ["src/a.ts", "src/table.ts"] }),
      task("t0002", { scope: ["src/b.ts"], description: "Add a row to src/table.ts." }),
      task("t0003", { scope: ["src/c.ts"], description: "Add a row to src/table.ts." }),
    ]);
    for (const id of ["t0001", "t0002", "t0003"]) move(state, id, "ready");
    // src/table.ts is no barrel or manifest: before it conflicts, nothing holds these tasks back.
    expect(dispatched(state, { maxWorkers: 8, hotFileWidth: 1 })).toHaveLength(3);
    move(state, "t0001", "running");
    move(state, "t0001", "merging");
    applyEvent(
      state,
      event({ type: "merge-conflict", taskId: "t0001", attempt: 1, files: ["src/table.ts"] }),
    );
    expect(dispatched(state, { maxWorkers: 8, hotFileWidth: 1 })).toEqual([]);
    expect(dispatched(state, { maxWorkers: 8, hotFileWidth: 2 })).toEqual(["t0002"]);
  });

  it("dispatches nothing while paused, and gives up dependents of a failed task only once nothing else can run", () => {
    const state = stateWith([task("t0001"), task("t0002", { dependsOn: ["t0001"] }), task("t0003")]);
    move(state, "t0001", "ready");
    move(state, "t0001", "running");
    move(state, "t0001", "failed");
    move(state, "t0003", "ready");
    applyEvent(state, event({ type: "run-pause" }));
    expect(dispatched(state, { maxWorkers: 8 })).toEqual([]);
    expect(decide(state, { maxWorkers: 8 }).filter((d) => d.kind === "cancel")).toEqual([]);
    applyEvent(state, event({ type: "plan-complete", reason: "done" }));
    // While other work can still run, the failed task may be retried: its dependents wait.
    expect(decide(state, { maxWorkers: 8 }).filter((d) => d.kind === "cancel")).toEqual([]);
    move(state, "t0003", "running");
    move(state, "t0003", "merging");
    move(state, "t0003", "landed");
    // So they do while the planner is still at work.
    expect(decide(state, { maxWorkers: 8, plannerBusy: true }).filter((d) => d.kind === "cancel")).toEqual(
      [],
    );
    expect(decide(state, { maxWorkers: 8 })).toContainEqual({
      kind: "cancel",
      taskId: "t0002",
      reason: "dependency t0001 failed",
    });
  });

  it("promotes tasks while every worker is busy, and dispatches none of them then", () => {
    const state = stateWith([
      task("t0001"),
      task("t0002"),
      task("t0003", { dependsOn: ["t0002"] }),
      task("t0004"),
    ]);
    move(state, "t0001", "ready");
    move(state, "t0001", "running");
    finish(state, "t0002", ["src/b.ts"]);
    move(state, "t0004", "ready");
    move(state, "t0004", "running");
    expect(decide(state, { maxWorkers: 2 })).toEqual([
      { kind: "promote", taskId: "t0003", reason: "dependencies landed" },
    ]);
    move(state, "t0004", "merging");
    expect(decide(state, { maxWorkers: 2 })).toEqual([
      { kind: "promote", taskId: "t0003", reason: "dependencies landed" },
      { kind: "dispatch", taskId: "t0003" },
    ]);
  });

  it("gives up a task whose dependency was split, naming a missing one first", () => {
    const state = stateWith([
      task("t0001"),
      task("t0002", { dependsOn: ["t0001"] }),
      task("t0003", { dependsOn: ["t9999", "t0001"] }),
      task("t0004", { dependsOn: ["t9999"] }),
    ]);
    move(state, "t0001", "split");
    applyEvent(state, event({ type: "plan-complete", reason: "done" }));
    const decisions = decide(state, { maxWorkers: 4 });
    expect(decisions.map((decision) => `${decision.kind} ${decision.taskId}`)).toEqual([
      "cancel t0002",
      "cancel t0003",
    ]);
    expect(decisions[1]).toMatchObject({ reason: "dependency t9999 is missing or was split" });
  });

  it("is settled only when the plan is complete and every task is terminal", () => {
    const state = stateWith([task("t0001")]);
    applyEvent(state, event({ type: "plan-complete", reason: "done" }));
    expect(isSettled(state)).toBe(false);
    move(state, "t0001", "cancelled");
    expect(isSettled(state)).toBe(true);
  });
});
