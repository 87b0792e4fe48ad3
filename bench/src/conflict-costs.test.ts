import type { LongshotEvent, NewEvent } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { conflictCosts } from "./conflict-costs.ts";

const usage = (prompt: number, completion: number) => ({
  promptTokens: prompt,
  completionTokens: completion,
  cachedTokens: 0,
});

function log(events: readonly NewEvent[]): LongshotEvent[] {
  return events.map((event, seq) => ({ ...event, runId: "r", seq, at: seq }) as LongshotEvent);
}

describe("conflict costs", () => {
  it("count each path that answered a conflict and the tokens it took", () => {
    const resolution = {
      type: "conflict-resolution" as const,
      taskId: "t0002",
      attempt: 1,
      files: ["src/index.ts"],
      commit: null,
      reason: "",
    };
    const costs = conflictCosts(
      log([
        {
          type: "merge-auto-resolved",
          taskId: "t0001",
          attempt: 1,
          rule: "union-of-additions",
          files: ["a"],
          hunks: 1,
        },
        {
          type: "merge-auto-resolved",
          taskId: "t0001",
          attempt: 1,
          rule: "json-manifest",
          files: ["package.json"],
          hunks: 2,
        },
        { type: "merge-conflict", taskId: "t0002", attempt: 1, files: ["src/index.ts"] },
        { ...resolution, method: "hunks", ok: false, hunks: 2, usage: usage(900, 100) },
        { ...resolution, method: "rerun", ok: true, hunks: 0, usage: usage(4_000, 1_000) },
        { type: "merge-conflict", taskId: "t0003", attempt: 1, files: ["src/index.ts"] },
        { ...resolution, taskId: "t0003", method: "hunks", ok: true, hunks: 1, usage: usage(800, 50) },
      ]),
    );
    expect(costs).toEqual({
      conflicts: 2,
      union: 1,
      manifest: 1,
      lockfile: 0,
      hunksTried: 2,
      hunksResolved: 1,
      hunks: 3,
      reruns: 1,
      hunkTokens: 1_850,
      rerunTokens: 5_000,
    });
  });
});
