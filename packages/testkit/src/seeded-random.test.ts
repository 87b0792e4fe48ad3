import { describe, expect, it } from "vitest";
import { seededRandom } from "./seeded-random.js";

describe("seededRandom", () => {
  it("replays the same sequence for a seed and another for another seed", () => {
    const draw = (seed: number) => {
      const next = seededRandom(seed);
      return Array.from({ length: 5 }, () => next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it("draws numbers in [0, 1) spread over the whole range", () => {
    const next = seededRandom(7);
    const values = Array.from({ length: 10_000 }, () => next());
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const buckets = [0, 0, 0, 0];
    for (const value of values) buckets[Math.floor(value * 4)]! += 1;
    for (const count of buckets) expect(count).toBeGreaterThan(2_000);
  });

  it("is mulberry32: its first draw for seed 1 is the reference value", () => {
    expect(seededRandom(1)()).toBeCloseTo(0.6270739405881613, 12);
  });
});
