import { describe, expect, it } from "vitest";
import { goals, measured, unmeasured } from "./figure.ts";
import { attainment, niceStep, renderChart } from "./render-chart.ts";

const input = {
  title: "Longshot benchmarks <test> & more",
  subtitle: "2 cores",
  curves: [
    { label: "500 tasks × 100 workers", landedS: [1, 2, 2.5, 4], idealS: [0.5, 1, 1.5, 2] },
    { label: "1000 tasks × 200 workers", landedS: [3, 5], idealS: [1, 2] },
  ],
  figures: [
    measured("Swarm 500×100", "wall / ideal", 2, "2.00× (60.0 s vs 30.0 s)", goals.wallOverIdeal),
    measured("Merge queue", "queue / worktree rebase", 8, "8.0×", goals.mergeQueueRatio),
    measured("Swarm 500×100", "landed commits per hour", 20_000, "20,000/h"),
    unmeasured(
      "Sandboxes",
      "Docker ready p50",
      "skipped",
      "skipped: no Docker engine",
      goals.dockerSandboxP50Ms,
    ),
  ],
};

describe("the chart", () => {
  const svg = renderChart(input);

  it("is one SVG document with balanced elements", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    const opened = (svg.match(/<text[ >]/g) ?? []).length;
    expect((svg.match(/<\/text>/g) ?? []).length).toBe(opened);
  });

  it("escapes text so titles cannot break the markup", () => {
    expect(svg).toContain("Longshot benchmarks &lt;test&gt; &amp; more");
    expect(svg).not.toContain("<test>");
  });

  it("draws each run's landings and its ideal, with a legend entry", () => {
    expect((svg.match(/<polyline /g) ?? []).length).toBe(4);
    expect((svg.match(/stroke-dasharray/g) ?? []).length).toBe(2);
    expect(svg).toContain("500 tasks × 100 workers");
    expect(svg).toContain("1000 tasks × 200 workers");
  });

  it("lists every goal with its verdict and short number, and no figure without a goal", () => {
    expect(svg).toContain("MISS  2.00×  (goal ≤ 1.10×)");
    expect(svg).toContain("PASS  8.0×  (goal ≥ 5×)");
    expect(svg).toContain("skipped  skipped: no Docker engine  (goal ≤ 1 s)");
    expect(svg).not.toContain("60.0 s vs 30.0 s");
    expect(svg).not.toContain("landed commits per hour");
  });
});

describe("goal attainment", () => {
  it("is above 1 when a goal is met, whichever way the goal points", () => {
    expect(attainment(measured("s", "n", 0.55, "", goals.wallOverIdeal))).toBeCloseTo(2);
    expect(attainment(measured("s", "n", 10, "", goals.mergeQueueRatio))).toBeCloseTo(2);
    expect(attainment(measured("s", "n", 300, "", goals.localSandboxP50Ms))).toBeCloseTo(0.5);
    expect(attainment(unmeasured("s", "n", "skipped", "why", goals.wallOverIdeal))).toBeNull();
  });
});

describe("axis steps", () => {
  it("are 1, 2 or 5 times a power of ten", () => {
    expect(niceStep(100, 5)).toBe(20);
    expect(niceStep(37, 8)).toBe(5);
    expect(niceStep(1_000, 5)).toBe(200);
    expect(niceStep(0, 5)).toBe(1);
  });
});
