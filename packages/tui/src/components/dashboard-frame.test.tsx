import type { LongshotEvent } from "@longshot/core";
import { render as renderAt100 } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { recordedRun } from "../__fixtures__/recorded-run.js";
import { renderAt } from "../__fixtures__/render-at.js";
import { layoutFrame } from "../layout.js";
import { emptyView, reduceView } from "../view.js";
import { DashboardFrame } from "./dashboard-frame.js";
import { planLines } from "./plan-tree.js";

function viewOf(tasks: number, workers: number, extra: LongshotEvent[] = []) {
  const view = emptyView({ usd: 5, tokens: 1_000_000 });
  for (const event of [...recordedRun({ tasks, workers }), ...extra]) reduceView(view, event);
  return view;
}

function frameAt(view: ReturnType<typeof viewOf>, width: number, height: number, planOffset = 0): string {
  const frame = renderAt(
    <DashboardFrame
      view={view}
      width={width}
      height={height}
      selected={null}
      maxWorkers={8}
      planOffset={planOffset}
    />,
    width,
    height,
  );
  const text = frame.lastFrame();
  frame.unmount();
  return text;
}

const activeCounts = (frame: string) => ({
  header: Number(/(\d+) active ·/.exec(frame)?.[1] ?? -1),
  panel: Number(/Workers · (\d+) active/.exec(frame)?.[1] ?? -2),
  merging: Number(/Workers · \d+ active of \d+ · (\d+) merging/.exec(frame)?.[1] ?? 0),
});

describe("DashboardFrame", () => {
  it("renders through ink-testing-library's 100-column terminal at 80 columns", () => {
    const frame =
      renderAt100(
        <DashboardFrame view={viewOf(12, 3)} width={80} height={30} selected={null} maxWorkers={3} />,
      ).lastFrame() ?? "";
    expect(frame).toContain("Workers · 2 active of 3");
    for (const line of frame.split("\n")) expect([...line].length).toBeLessThanOrEqual(80);
  });

  for (const [width, height] of [
    [80, 24],
    [80, 40],
    [100, 30],
    [160, 45],
    [200, 60],
  ] as const) {
    it(`fits ${width}×${height} below the last row, header first, every panel shown`, () => {
      const frame = frameAt(viewOf(40, 6), width, height);
      const lines = frame.split("\n");
      // One row short of the terminal: a full terminal would scroll the header away.
      expect(lines.length).toBeLessThanOrEqual(height - 1);
      expect(lines.length).toBe(layoutFrame(width, height).totalRows);
      expect(lines[0]).toMatch(/^╭─+╮$/);
      expect(lines[1]).toContain("longshot r-demo running");
      expect(lines[2]).toContain("tasks ");
      expect(lines[3]).toContain("cost $");
      for (const text of [
        "Plan · 40 tasks",
        "Workers · 5 active of 8",
        "Merges",
        "Health",
        "red · failing test",
      ])
        expect(frame).toContain(text);
      expect(frame).toContain(width >= 120 ? "[ ] scroll plan" : "q drain");
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(width);
    });
  }

  it("counts active work the same in the header and the workers panel", () => {
    // Dispatched but not started, attempts in flight, one in review: all hold a worker.
    const view = viewOf(20, 5, [
      {
        type: "task-transition",
        taskId: "t0014",
        from: "ready",
        to: "running",
        reason: "dispatched",
        runId: "r-demo",
        seq: 9_000,
        at: Date.UTC(2026, 10, 21, 12, 1),
      },
    ]);
    for (const [width, height] of [
      [80, 24],
      [160, 45],
    ] as const) {
      const counts = activeCounts(frameAt(view, width, height));
      expect(counts.header).toBe(counts.panel);
      expect(counts.header + counts.merging).toBe(view.workers.size);
    }
    expect(frameAt(view, 160, 45)).toContain("t0014 starting");
  });

  it("scrolls the plan: the window moves, says what is above and below, and stops at the end", () => {
    const view = viewOf(60, 4);
    const top = planLines(view, 6, 0);
    expect(top.above).toBe(0);
    expect(top.lines).toHaveLength(5);
    expect(top.hidden).toBe(55);
    const middle = planLines(view, 6, 10);
    expect(middle.above).toBe(10);
    expect(middle.lines[0]?.row.id).toBe(planLines(view, 100, 0).lines[10]?.row.id);
    expect(middle.lines.length + 2).toBe(6);
    const end = planLines(view, 6, 1_000);
    expect(end.hidden).toBe(0);
    expect(end.above + end.lines.length).toBe(60);
    const frame = frameAt(view, 80, 24, 10);
    expect(frame).toContain("↑ 10 above");
    expect(frame.split("\n").length).toBeLessThanOrEqual(23);
  });

  it("shows model retries: endpoint and status in the header and the log", () => {
    const at = Date.UTC(2026, 10, 21, 12, 2);
    const retry = (attempt: number): LongshotEvent => ({
      type: "model-call-retry",
      callId: "c1",
      role: "planner",
      taskId: null,
      model: "m",
      endpoint: "primary",
      attempt,
      status: 503,
      delayMs: 2_000,
      reason: "HTTP 503: unavailable",
      runId: "r-demo",
      seq: 9_000 + attempt,
      at: at + attempt,
    });
    const frame = frameAt(viewOf(10, 3, [retry(1), retry(2)]), 80, 24);
    expect(frame).toContain("2 retries · 503 at primary");
    expect(frame).toContain("planner model call retry 2 (primary: HTTP 503, again in 2.0 s)");
  });

  it("puts plan and workers side by side only when wide", () => {
    const view = viewOf(20, 4);
    const sameLine = (frame: string) =>
      frame.split("\n").some((line) => line.includes("Plan ·") && line.includes("Workers ·"));
    expect(sameLine(frameAt(view, 160, 40))).toBe(true);
    expect(sameLine(frameAt(view, 80, 40))).toBe(false);
  });

  it("windows 500 tasks and 100 workers to the screen, most active first", () => {
    const frame = frameAt(viewOf(500, 100), 160, 40);
    expect(frame.split("\n").length).toBeLessThanOrEqual(39);
    expect(frame).toMatch(/… \d+ more/);
    expect(frame).toContain("Workers · 99 active of 8");
    const planLine = frame.split("\n").find((line) => line.includes("▶"));
    expect(planLine).toBeDefined();
  });

  it("marks the selected worker without relying on colour, and shows budget bars", () => {
    const view = viewOf(10, 3);
    const frame =
      renderAt(
        <DashboardFrame view={view} width={160} height={40} selected="t0010" maxWorkers={3} />,
        160,
      ).lastFrame() ?? "";
    expect(frame).toContain("of $5");
    expect(frame).toContain("█");
    expect(frame).toContain("›t0010 #1 fake-worker");
  });
});
