import { describe, expect, it } from "vitest";
import type { MergeRequest } from "../types.js";
import { type QueueEntry, selectBatch, waitingFor } from "./ready-order.js";

function entries(...requests: Omit<MergeRequest, "attempt" | "commit">[]): QueueEntry[] {
  return requests.map((request, arrival) => ({ request: { attempt: 1, commit: "c", ...request }, arrival }));
}

const ids = (selected: readonly QueueEntry[]): string[] => selected.map((entry) => entry.request.taskId);

describe("selectBatch", () => {
  it("orders by priority (higher first), then arrival, with 50 as the default priority", () => {
    const queue = entries(
      { taskId: "a", priority: 10 },
      { taskId: "b" },
      { taskId: "c", priority: 60 },
      { taskId: "d" },
    );
    expect(ids(selectBatch(queue, new Set(), 10))).toEqual(["c", "b", "d", "a"]);
    expect(ids(selectBatch(queue, new Set(), 2))).toEqual(["c", "b"]);
  });

  it("admits a dependent only after its dependencies, landed or earlier in the batch", () => {
    const queue = entries(
      { taskId: "ui", priority: 100, dependsOn: ["api"] },
      { taskId: "api", priority: 1 },
      { taskId: "docs", priority: 100, dependsOn: ["missing"] },
    );
    expect(ids(selectBatch(queue, new Set(), 10))).toEqual(["api", "ui"]);
    expect(ids(selectBatch(queue, new Set(), 1))).toEqual(["api"]);
    expect(ids(selectBatch(queue, new Set(["api"]), 1))).toEqual(["ui"]);
    expect(ids(selectBatch(queue, new Set(["api", "missing"]), 10))).toEqual(["ui", "docs", "api"]);
  });

  it("selects nothing when every request waits", () => {
    expect(selectBatch(entries({ taskId: "x", dependsOn: ["y"] }), new Set(), 5)).toEqual([]);
  });
});

describe("waitingFor", () => {
  it("lists dependencies that have not landed", () => {
    const [entry] = entries({ taskId: "x", dependsOn: ["a", "b", "c"] });
    expect(entry && waitingFor(entry, new Set(["b"]))).toEqual(["a", "c"]);
  });
});
