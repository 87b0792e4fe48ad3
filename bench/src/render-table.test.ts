import { describe, expect, it } from "vitest";
import { goals, measured, unmeasured } from "./figure.ts";
import { renderTable, summarize } from "./render-table.ts";

describe("the results table", () => {
  const figures = [
    measured("Swarm 500×100", "wall / ideal", 1.32, "1.32× (66.0 s vs 50.0 s)", goals.wallOverIdeal),
    measured("Swarm 500×100", "landed commits per hour", 27_000, "27,000/h"),
    measured("Model client", "ModelClient / bare fetch", 1.05, "1.05×", goals.llmOverhead),
    unmeasured(
      "Sandboxes",
      "Docker ready p50",
      "skipped",
      "skipped: no Docker engine",
      goals.dockerSandboxP50Ms,
    ),
  ];

  it("shows every figure beside its goal and verdict", () => {
    const lines = renderTable(figures).split("\n");
    expect(lines[0]).toMatch(/\| Benchmark +\| Figure +\| Result +\| Goal +\| Verdict +\|/);
    expect(lines[1]).toMatch(/^\|-+\|-+\|-+\|-+\|-+\|$/);
    expect(lines[2]).toMatch(
      /Swarm 500×100 \| wall \/ ideal .*\| 1\.32× \(66\.0 s vs 50\.0 s\) .*\| ≤ 1\.10× .*\| MISS/,
    );
    expect(lines[4]).toMatch(/Model client .*\| < 1\.2× .*\| PASS/);
    expect(lines[5]).toMatch(/skipped: no Docker engine .*\| ≤ 1 s .*\| skipped/);
  });

  it("names a benchmark once for its block of rows and keeps columns aligned", () => {
    const lines = renderTable(figures).split("\n");
    expect(lines[3]?.startsWith("|  ")).toBe(true);
    expect(lines[3]).toContain("landed commits per hour");
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });

  it("keeps a pipe inside a cell from breaking the row", () => {
    const table = renderTable([measured("A|B", "x", 1, "1 | 2")]);
    expect(table.split("\n")[2]).toContain("A\\|B");
    expect(table.split("\n")[2]).toContain("1 \\| 2");
  });

  it("counts the verdicts", () => {
    expect(summarize(figures)).toBe("1 PASS, 1 MISS, 1 skipped");
    expect(summarize([])).toBe("no goals measured");
  });
});

describe("a figure's verdict", () => {
  it("passes at the goal's edge for ≤ and ≥, and not for <", () => {
    expect(measured("s", "n", 1.1, "", goals.wallOverIdeal).verdict).toBe("PASS");
    expect(measured("s", "n", 0.95, "", goals.landedShare).verdict).toBe("PASS");
    expect(measured("s", "n", 1.2, "", goals.llmOverhead).verdict).toBe("MISS");
    expect(measured("s", "n", Number.NaN, "", goals.wallOverIdeal).verdict).toBe("MISS");
    expect(measured("s", "n", 3, "").verdict).toBe("info");
  });
});
