import { render as renderAt100 } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { recordedRun } from "../__fixtures__/recorded-run.js";
import { renderAt } from "../__fixtures__/render-at.js";
import { emptyView, reduceView } from "../view.js";
import { DashboardFrame } from "./dashboard-frame.js";

function viewOf(tasks: number, workers: number) {
  const view = emptyView({ usd: 5, tokens: 1_000_000 });
  for (const event of recordedRun({ tasks, workers })) reduceView(view, event);
  return view;
}

describe("DashboardFrame", () => {
  it("renders through ink-testing-library's 100-column terminal at 80 columns", () => {
    const frame =
      renderAt100(
        <DashboardFrame view={viewOf(12, 3)} width={80} height={30} selected={null} maxWorkers={3} />,
      ).lastFrame() ?? "";
    expect(frame).toContain("Workers · 2 active of 3");
    for (const line of frame.split("\n")) expect([...line].length).toBeLessThanOrEqual(80);
  });

  for (const width of [80, 160]) {
    it(`shows every panel at ${width} columns without overflowing`, () => {
      const { lastFrame } = renderAt(
        <DashboardFrame view={viewOf(40, 6)} width={width} height={40} selected={null} maxWorkers={8} />,
        width,
      );
      const frame = lastFrame() ?? "";
      expect(frame).toContain("longshot r-demo");
      expect(frame).toContain("Plan · 40 tasks");
      expect(frame).toContain("Workers · 5 active of 8");
      expect(frame).toContain("Merge queue");
      expect(frame).toContain("Health");
      expect(frame).toContain("red · failing test");
      expect(frame).toContain("landed/min");
      for (const line of frame.split("\n")) expect([...line].length).toBeLessThanOrEqual(width);
    });
  }

  it("puts plan and workers side by side only when wide", () => {
    const view = viewOf(20, 4);
    const wide =
      renderAt(
        <DashboardFrame view={view} width={160} height={40} selected={null} maxWorkers={4} />,
        160,
      ).lastFrame() ?? "";
    const narrow =
      renderAt(
        <DashboardFrame view={view} width={80} height={40} selected={null} maxWorkers={4} />,
        80,
      ).lastFrame() ?? "";
    const sameLine = (frame: string) =>
      frame.split("\n").some((line) => line.includes("Plan ·") && line.includes("Workers ·"));
    expect(sameLine(wide)).toBe(true);
    expect(sameLine(narrow)).toBe(false);
  });

  it("windows 500 tasks and 100 workers to the screen, most active first", () => {
    const view = viewOf(500, 100);
    const frame =
      renderAt(
        <DashboardFrame view={view} width={160} height={40} selected={null} maxWorkers={100} />,
        160,
      ).lastFrame() ?? "";
    expect(frame.split("\n").length).toBeLessThanOrEqual(45);
    expect(frame).toMatch(/… \d+ more/);
    expect(frame).toContain("Workers · 99 active of 100");
    // The first plan lines are running tasks.
    const planLine = frame.split("\n").find((line) => line.includes("▶"));
    expect(planLine).toBeDefined();
  });

  it("highlights the selected worker and shows budget bars", () => {
    const view = viewOf(10, 3);
    const frame =
      renderAt(
        <DashboardFrame view={view} width={160} height={40} selected="t0010" maxWorkers={3} />,
        160,
      ).lastFrame() ?? "";
    expect(frame).toContain("of $5");
    expect(frame).toContain("█");
    expect(frame).toContain("t0010 #1 fake-worker");
  });
});
