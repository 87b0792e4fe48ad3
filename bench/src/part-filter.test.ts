import { describe, expect, it } from "vitest";
import { partFilter } from "./part-filter.ts";

const parts = ["merge-queue", "sandboxes", "swarm-500", "swarm-1000", "landing-200"];

describe("partFilter", () => {
  it("runs the whole suite when no filter is given", () => {
    for (const filter of [undefined, "", " , "]) {
      const only = partFilter(filter, parts);
      expect(only.complete).toBe(true);
      expect(parts.every(only.includes)).toBe(true);
    }
  });

  it("selects parts by their name or by a prefix before a dash", () => {
    const only = partFilter("swarm, Landing-200", parts);
    expect(only.complete).toBe(false);
    expect(parts.filter(only.includes)).toEqual(["swarm-500", "swarm-1000", "landing-200"]);
    // A prefix stops at a dash: swarm-5 is no part's name or first word.
    expect(() => partFilter("swarm-5", parts)).toThrow(/swarm-5/);
  });

  it("refuses a name that selects nothing, naming it and the parts there are", () => {
    expect(() => partFilter("swarm-500,landng", parts)).toThrow(
      "LONGSHOT_BENCH_ONLY names no part of the suite: landng; the parts are merge-queue, sandboxes, swarm-500, swarm-1000, landing-200.",
    );
  });
});
