import { describe, expect, it } from "vitest";
import { assignLanes } from "./assign-lanes.js";

describe("assignLanes", () => {
  it("gives concurrent intervals different lanes and reuses a lane once it is free", () => {
    const lanes = assignLanes([
      { start: 0, end: 10 },
      { start: 2, end: 5 },
      { start: 5, end: 9 },
      { start: 11, end: 12 },
      { start: 3, end: 4 },
    ]);
    // 0-10 on lane 0; 2-5 on lane 1; 3-4 on lane 2; 5-9 reuses lane 1 (free at 5); 11-12 lane 0.
    expect(lanes).toEqual([0, 1, 1, 0, 2]);
  });

  it("uses as many lanes as the most intervals running at once", () => {
    const intervals = Array.from({ length: 40 }, (_, index) => ({ start: index * 5, end: index * 5 + 17 }));
    const lanes = assignLanes(intervals);
    expect(Math.max(...lanes) + 1).toBe(4);
    for (const [index, lane] of lanes.entries()) {
      const mine = intervals[index]!;
      const clash = intervals.some(
        (other, at) => at !== index && lanes[at] === lane && other.start < mine.end && mine.start < other.end,
      );
      expect(clash).toBe(false);
    }
  });

  it("treats an interval that ends before it starts as an instant", () => {
    expect(
      assignLanes([
        { start: 5, end: 3 },
        { start: 5, end: 6 },
      ]),
    ).toEqual([0, 0]);
  });
});
