import { describe, expect, it } from "vitest";
import { type CallRecord, idealInputs, type RunTask } from "./ideal-inputs.ts";

let index = 0;
function call(role: string, taskId: string | null, latencyMs: number, turn = 0): CallRecord {
  index += 1;
  return { index, role, taskId, latencyMs, turn, receivedAt: 1_000 + index };
}

function runTask(id: string, batch: number | null, dependsOn: string[] = []): RunTask {
  return { id, dependsOn, priority: 50, batch, landed: true };
}

describe("the ideal's inputs from a run", () => {
  it("releases batch k after the first k planner calls and closes with the last planner call", () => {
    const calls = [
      call("planner", null, 300),
      call("worker", "t1", 100),
      call("planner", null, 200),
      call("worker", "t2", 50),
      call("planner", null, 999), // a replan in the middle of the run: off every task's path
      call("planner", null, 70), // the completeness check
    ];
    const inputs = idealInputs(calls, [runTask("t1", 1), runTask("t2", 2)], 2);
    expect(inputs.batchReleasesMs).toEqual([300, 500]);
    expect(inputs.tasks.map((task) => task.releaseMs)).toEqual([300, 500]);
    expect(inputs.tailMs).toBe(70);
  });

  it("charges a task its last attempt's turns and its last review, not the attempts it lost", () => {
    const calls = [
      call("planner", null, 10),
      call("worker", "t1", 400, 0),
      call("worker", "t1", 400, 1),
      call("judge", "t1", 900),
      call("worker", "t1", 100, 0), // the re-run after a conflict starts a new conversation
      call("worker", "t1", 200, 1),
      call("worker", "t1", 300, 2),
      call("judge", "t1", 50),
    ];
    const [task] = idealInputs(calls, [runTask("t1", 1)], 1).tasks;
    expect(task?.durationMs).toBe(650);
  });

  it("leaves out tasks the model never worked on, and dependencies on them", () => {
    const calls = [call("planner", null, 10), call("worker", "t1", 100)];
    const inputs = idealInputs(calls, [runTask("t1", 1, ["t0"]), runTask("t0", 1)], 1);
    expect(inputs.missing).toEqual(["t0"]);
    expect(inputs.tasks).toHaveLength(1);
    expect(inputs.tasks[0]?.dependsOn).toEqual([]);
  });
});
