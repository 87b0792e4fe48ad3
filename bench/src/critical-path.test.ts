import { describe, expect, it } from "vitest";
import { type IdealTask, idealSchedule, scheduledFinishes, unboundedFinishes } from "./critical-path.ts";

function task(id: string, durationMs: number, extra: Partial<IdealTask> = {}): IdealTask {
  return { id, dependsOn: [], releaseMs: 0, durationMs, priority: 50, order: 0, ...extra };
}

describe("the ideal schedule", () => {
  it("takes the longest chain of dependencies as the critical path", () => {
    const tasks = [
      task("a", 100),
      task("b", 300),
      task("c", 50, { dependsOn: ["a", "b"] }),
      task("d", 500),
      task("e", 10, { dependsOn: ["c"] }),
    ];
    const finish = unboundedFinishes(tasks);
    expect(finish.get("c")).toBe(350);
    expect(finish.get("e")).toBe(360);
    expect(idealSchedule(tasks, 10).criticalPathMs).toBe(500);
  });

  it("starts a task no earlier than the planner batch that proposed it", () => {
    const tasks = [task("a", 100), task("b", 100, { releaseMs: 1_000 })];
    expect(idealSchedule(tasks, 4).criticalPathMs).toBe(1_100);
    expect(idealSchedule(tasks, 4).scheduledMs).toBe(1_100);
  });

  it("runs tasks one after another on a single worker", () => {
    const tasks = [task("a", 100), task("b", 200), task("c", 300, { dependsOn: ["a"] })];
    expect(idealSchedule(tasks, 1).scheduledMs).toBe(600);
  });

  it("fills every worker, highest priority first, then in creation order", () => {
    const tasks = [
      task("low", 1_000, { priority: 10, order: 0 }),
      task("high", 100, { priority: 90, order: 1 }),
      task("next", 100, { priority: 50, order: 2 }),
    ];
    const finish = scheduledFinishes(tasks, 2);
    expect(finish.get("high")).toBe(100);
    expect(finish.get("next")).toBe(100);
    expect(finish.get("low")).toBe(1_100);
  });

  it("is never shorter than the critical path or the work spread over the workers", () => {
    const tasks = Array.from({ length: 40 }, (_, index) =>
      task(`t${index}`, 100 + ((index * 37) % 400), {
        order: index,
        dependsOn: index % 5 === 4 ? [`t${index - 1}`] : [],
        releaseMs: Math.floor(index / 10) * 250,
      }),
    );
    const ideal = idealSchedule(tasks, 6, 75);
    expect(ideal.lowerBoundMs).toBeGreaterThanOrEqual(ideal.criticalPathMs);
    expect(ideal.lowerBoundMs).toBeGreaterThanOrEqual(ideal.totalWorkMs / 6 + 75);
    expect(ideal.scheduledMs).toBeGreaterThanOrEqual(ideal.lowerBoundMs);
    expect(ideal.finishesMs).toHaveLength(40);
    expect(ideal.finishesMs.at(-1)! + 75).toBe(ideal.scheduledMs);
  });

  it("adds the planner's closing call to every measure", () => {
    const ideal = idealSchedule([task("a", 100)], 1, 40);
    expect([ideal.criticalPathMs, ideal.scheduledMs, ideal.lowerBoundMs]).toEqual([140, 140, 140]);
  });

  it("rejects a cycle or an unknown dependency instead of looping", () => {
    expect(() =>
      idealSchedule([task("a", 1, { dependsOn: ["b"] }), task("b", 1, { dependsOn: ["a"] })], 2),
    ).toThrow(/cycle/);
    expect(() => idealSchedule([task("a", 1, { dependsOn: ["ghost"] })], 2)).toThrow(/unknown task ghost/);
  });
});
