import { describe, expect, it } from "vitest";
import { parseEvent } from "./events.js";

describe("events", () => {
  it("parses a stored event and fills defaults", () => {
    const event = parseEvent({ type: "log", runId: "r1", seq: 3, at: 10, level: "info", message: "hi" });
    expect(event).toEqual({
      type: "log",
      runId: "r1",
      seq: 3,
      at: 10,
      level: "info",
      message: "hi",
      taskId: null,
    });
  });

  it("keeps a task update to the fields it names", () => {
    const update = {
      type: "task-update",
      runId: "r1",
      seq: 4,
      at: 1,
      taskId: "t0001",
      changes: { title: "x" },
    };
    expect(parseEvent(update)).toEqual(update);
  });

  it("rejects an event with a missing field or an unknown type", () => {
    expect(() => parseEvent({ type: "merge-land", runId: "r1", seq: 1, at: 1, taskId: "t0001" })).toThrow();
    expect(() => parseEvent({ type: "task-explode", runId: "r1", seq: 1, at: 1 })).toThrow();
  });
});
