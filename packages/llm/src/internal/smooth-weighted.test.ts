import { describe, expect, it } from "vitest";
import { SmoothWeightedRoundRobin } from "./smooth-weighted.js";

describe("SmoothWeightedRoundRobin", () => {
  it("interleaves picks in proportion to weight, as nginx does", () => {
    const router = new SmoothWeightedRoundRobin();
    const peers = [
      { key: "a", weight: 5 },
      { key: "b", weight: 1 },
      { key: "c", weight: 1 },
    ];
    const picks = Array.from({ length: 7 }, () => peers[router.pick(peers)]?.key).join("");
    expect(picks).toBe("aabacaa");
  });

  it("follows weights that change between picks", () => {
    const router = new SmoothWeightedRoundRobin();
    const counts = { fast: 0, slow: 0 };
    for (let pick = 0; pick < 100; pick++) {
      const peers = [
        { key: "fast", weight: 1 },
        { key: "slow", weight: pick < 50 ? 1 : 0.25 },
      ];
      const key = peers[router.pick(peers)]?.key as "fast" | "slow";
      counts[key] += 1;
    }
    expect(counts.fast).toBeGreaterThanOrEqual(63);
    expect(counts.fast).toBeLessThanOrEqual(67);
  });
});
