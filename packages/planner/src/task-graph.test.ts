import { ManualClock } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { TaskGraph } from "./task-graph.js";

function graph(): TaskGraph {
  return new TaskGraph({ runId: "r1", branchPrefix: "longshot/", clock: new ManualClock(1000) });
}

function land(target: TaskGraph, id: string): void {
  for (const state of ["ready", "running", "merging", "landed"] as const) {
    const result = target.transition(id, state, "test");
    if (!result.ok) throw new Error(result.reason);
  }
}

describe("TaskGraph", () => {
  it("assigns sequential ids and branches and records the additions as events", () => {
    const tasks = graph();
    const change = tasks.addAll([
      { key: "a", spec: { title: "A", description: "a", scope: ["a.ts"] } },
      { key: "b", spec: { title: "B", description: "b", scope: ["b.ts"], dependsOn: ["a"] } },
    ]);
    expect(change.value.map((task) => [task.id, task.branch, task.dependsOn])).toEqual([
      ["t0001", "longshot/r1/t0001", []],
      ["t0002", "longshot/r1/t0002", ["t0001"]],
    ]);
    expect(change.events.map((event) => event.type)).toEqual(["task-add", "task-add"]);
    expect(tasks.add({ title: "C", description: "c", scope: ["c.ts"] }).value.id).toBe("t0003");
  });

  it("offers pending tasks whose dependencies landed, highest priority first, then by creation", () => {
    const tasks = graph();
    tasks.addAll([
      { key: "base", spec: { title: "base", description: "d", scope: ["a"], priority: 10 } },
      { key: "low", spec: { title: "low", description: "d", scope: ["b"], priority: 20 } },
      { key: "high", spec: { title: "high", description: "d", scope: ["c"], priority: 90 } },
      { key: "later", spec: { title: "later", description: "d", scope: ["d"], priority: 20 } },
      {
        key: "after",
        spec: { title: "after", description: "d", scope: ["e"], dependsOn: ["base"], priority: 100 },
      },
    ]);
    expect(tasks.readyTasks().map((task) => task.title)).toEqual(["high", "low", "later", "base"]);
    land(tasks, "t0001");
    expect(tasks.readyTasks().map((task) => task.title)).toEqual(["after", "high", "low", "later"]);
    expect(tasks.counts()).toMatchObject({ pending: 4, landed: 1, running: 0 });
  });

  it("refuses illegal transitions with the reason and leaves the task as it was", () => {
    const tasks = graph();
    tasks.add({ title: "A", description: "a", scope: ["a"] });
    const result = tasks.transition("t0001", "landed", "skip ahead");
    expect(result).toEqual({
      ok: false,
      reason: "t0001: a pending task can only become ready, cancelled, split, not landed",
    });
    expect(tasks.get("t0001")?.state).toBe("pending");
    expect(tasks.transition("t0001", "ready", "deps landed")).toMatchObject({
      ok: true,
      event: {
        type: "task-transition",
        taskId: "t0001",
        from: "pending",
        to: "ready",
        reason: "deps landed",
      },
    });
  });

  it("replaces a split task by its children and makes its dependents wait for all of them", () => {
    const tasks = graph();
    tasks.addAll([
      { key: "base", spec: { title: "base", description: "d", scope: ["base.ts"] } },
      {
        key: "big",
        spec: { title: "big", description: "d", scope: ["x/**"], dependsOn: ["base"], composite: true },
      },
      { key: "user", spec: { title: "user", description: "d", scope: ["u.ts"], dependsOn: ["big", "base"] } },
    ]);
    const change = tasks.replace("t0002", [
      { key: "one", spec: { title: "one", description: "d", scope: ["x/1.ts"] } },
      { key: "two", spec: { title: "two", description: "d", scope: ["x/2.ts"], dependsOn: ["one"] } },
    ]);
    expect(change.value.map((task) => [task.id, task.parentId, task.dependsOn])).toEqual([
      ["t0004", "t0002", ["t0001"]],
      ["t0005", "t0002", ["t0004", "t0001"]],
    ]);
    expect(tasks.get("t0002")?.state).toBe("split");
    expect(tasks.get("t0003")?.dependsOn).toEqual(["t0004", "t0005", "t0001"]);
    expect(change.events.map((event) => event.type)).toEqual([
      "task-add",
      "task-add",
      "task-transition",
      "task-update",
    ]);
    land(tasks, "t0001");
    land(tasks, "t0004");
    expect(tasks.readyTasks().map((task) => task.id)).toEqual(["t0005"]);
    land(tasks, "t0005");
    expect(tasks.readyTasks().map((task) => task.id)).toEqual(["t0003"]);
  });

  it("refuses amendments that would close a cycle, and amendments of started tasks", () => {
    const tasks = graph();
    tasks.addAll([
      { key: "a", spec: { title: "a", description: "d", scope: ["a"] } },
      { key: "b", spec: { title: "b", description: "d", scope: ["b"], dependsOn: ["a"] } },
    ]);
    expect(() => tasks.amend("t0001", { dependsOn: ["t0002"] })).toThrow(/cycle: t0001 -> t0002 -> t0001/);
    expect(tasks.get("t0001")?.dependsOn).toEqual([]);
    tasks.transition("t0001", "ready", "deps landed");
    tasks.transition("t0001", "running", "start");
    expect(() => tasks.amend("t0001", { title: "new" })).toThrow(/running and can no longer be amended/);
  });

  it("rebuilds from a snapshot and continues the id sequence", () => {
    const tasks = graph();
    tasks.add({ title: "a", description: "d", scope: ["a"] });
    tasks.transition("t0001", "ready", "ok");
    const copy = new TaskGraph(
      { runId: "r1", branchPrefix: "longshot/", clock: new ManualClock() },
      tasks.snapshot(),
    );
    expect(copy.get("t0001")?.state).toBe("ready");
    expect(copy.add({ title: "b", description: "d", scope: ["b"] }).value.id).toBe("t0002");
  });
});
