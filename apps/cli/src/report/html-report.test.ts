import { createHash } from "node:crypto";
import { UserError } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { greenRun, recordRunsForFile, redRun } from "./__fixtures__/recorded-run.js";
import { findAll, type HtmlElement, parseStrictHtml, textOf } from "./__fixtures__/strict-html.js";
import { withSyntheticRun } from "./__fixtures__/synthetic-run.js";
import { renderHtmlReport } from "./html-report.js";
import type { ReportStore } from "./report-store.js";

const runs = recordRunsForFile({ green: greenRun, red: redRun });

interface Bar {
  readonly task: string;
  readonly attempt: number;
  readonly lane: number;
  readonly start: number;
  readonly end: number;
  readonly title: string;
}

function bars(page: HtmlElement): Bar[] {
  return findAll(page, (element) => element.tag === "rect" && "data-attempt" in element.attributes).map(
    (rect) => ({
      task: rect.attributes["data-task"]!,
      attempt: Number(rect.attributes["data-attempt"]),
      lane: Number(rect.attributes["data-lane"]),
      start: Number(rect.attributes["data-start"]),
      end: Number(rect.attributes["data-end"]),
      title: textOf(rect),
    }),
  );
}

/** Pairs of bars in one lane that overlap in time. */
function overlaps(list: readonly Bar[]): string[] {
  const byLane = new Map<number, Bar[]>();
  for (const bar of list) byLane.set(bar.lane, [...(byLane.get(bar.lane) ?? []), bar]);
  const found: string[] = [];
  for (const lane of byLane.values()) {
    const sorted = [...lane].sort((left, right) => left.start - right.start);
    for (let index = 1; index < sorted.length; index += 1) {
      const before = sorted[index - 1]!;
      const after = sorted[index]!;
      if (after.start < before.end)
        found.push(`${before.task}#${before.attempt} / ${after.task}#${after.attempt}`);
    }
  }
  return found;
}

function attemptCount(store: ReportStore, runId: string): number {
  return store
    .listTasks(runId)
    .reduce((sum, task) => sum + (store.getTask(runId, task.id)?.attempts.length ?? 0), 0);
}

describe("renderHtmlReport on recorded runs", () => {
  it("is one well-formed page with no external references", () => {
    const source = renderHtmlReport(runs.green.store, runs.green.runId);
    const page = parseStrictHtml(source);
    expect(findAll(page, (element) => element.tag === "html")).toHaveLength(1);
    const external = findAll(page, (element) =>
      ["src", "href"].some((name) => (element.attributes[name] ?? "#").match(/^(?!#)/)),
    );
    expect(external.map((element) => element.tag)).toEqual([]);
    expect(source).not.toMatch(/https?:\/\//);
  });

  it("draws one Gantt bar per attempt, on lanes that never overlap and never outnumber the workers", () => {
    const page = parseStrictHtml(renderHtmlReport(runs.green.store, runs.green.runId));
    const drawn = bars(page);
    expect(drawn).toHaveLength(attemptCount(runs.green.store, runs.green.runId));
    expect(overlaps(drawn)).toEqual([]);
    expect(Math.max(...drawn.map((bar) => bar.lane)) + 1).toBeLessThanOrEqual(greenRun.workers);
    const first = runs.green.store.getTask(runs.green.runId, "t0001")!;
    const title = drawn.find((bar) => bar.task === "t0001" && bar.attempt === 1)!.title;
    expect(title).toContain(first.task.title);
    expect(title).toContain(first.attempts[0]!.model);
  });

  it("shows health over time with the red stretch the fix task repaired, and the merges", () => {
    const page = parseStrictHtml(renderHtmlReport(runs.green.store, runs.green.runId));
    const health = findAll(
      page,
      (element) => element.tag === "svg" && element.attributes.class === "chart health",
    )[0]!;
    const sweeps = runs.green.store.healthHistory(runs.green.runId);
    const overall = findAll(
      health,
      (element) => element.tag === "rect" && /^(green|red) at/.test(textOf(element)),
    );
    expect(overall.map((rect) => rect.attributes.class)).toEqual(
      sweeps.map((sweep) => (sweep.green ? "ok" : "bad")),
    );
    expect(textOf(health)).toContain("build failed at");
    const merges = findAll(page, (element) => element.attributes.id === "merges")[0]!;
    const run = runs.green.store.getRun(runs.green.runId)!;
    expect(textOf(merges)).toContain(`${run.merges.landed} landed`);
    expect(textOf(merges)).toContain(`${run.merges.conflicts} conflicts`);
  });

  it("shows cost and tokens per role", () => {
    const page = parseStrictHtml(renderHtmlReport(runs.green.store, runs.green.runId));
    const costs = textOf(findAll(page, (element) => element.attributes.id === "costs")[0]!);
    for (const row of runs.green.store.costByRole(runs.green.runId)) {
      expect(costs).toContain(`${row.key}: $0.00 · ${row.calls} calls`);
    }
  });

  it("links each failure of a red run to a transcript holding that attempt's tool calls", () => {
    const page = parseStrictHtml(renderHtmlReport(runs.red.store, runs.red.runId));
    const failures = findAll(page, (element) => element.attributes.id === "failures")[0]!;
    expect(textOf(failures)).toContain("not ok 1 - hidden acceptance <b>fails</b>");
    const links = findAll(failures, (element) => element.tag === "a").map((link) => link.attributes.href!);
    expect(links.length).toBeGreaterThan(0);
    for (const href of links) {
      const target = findAll(page, (element) => element.attributes.id === href.slice(1));
      expect(target.map((element) => element.tag)).toEqual(["details"]);
      const [, taskId, attempt] = /^#attempt-(t\d+)-(\d+)$/.exec(href)!;
      const calls = runs.red.store.toolCalls(runs.red.runId, taskId!, Number(attempt));
      const steps = findAll(target[0]!, (element) => element.attributes.class === "tool-name").map(textOf);
      expect(steps).toEqual(calls.map((call) => call.tool));
    }
    const dropped = runs.red.store.listTasks(runs.red.runId, { state: "cancelled" });
    for (const task of dropped) expect(links).toContain(`#attempt-${task.id}-${task.attempts}`);
  });

  it("escapes hostile recorded text, and its only script is the one the page's policy allows", () => {
    const task = runs.red.store.listTasks(runs.red.runId, { state: "cancelled" })[0]!;
    const hostile = `<script>alert(1)</script>"' onmouseover="alert(2)`;
    runs.red.store.append(runs.red.runId, {
      type: "task-update",
      taskId: task.id,
      changes: { title: hostile },
    });
    const source = renderHtmlReport(runs.red.store, runs.red.runId);
    const page = parseStrictHtml(source);
    const scripts = findAll(page, (element) => element.tag === "script");
    expect(scripts).toHaveLength(1);
    const hash = createHash("sha256").update(textOf(scripts[0]!)).digest("base64");
    const policy = findAll(
      page,
      (element) => element.attributes["http-equiv"] === "Content-Security-Policy",
    )[0]!;
    expect(policy.attributes.content).toContain(`script-src 'sha256-${hash}'`);
    expect(findAll(page, (element) => "onmouseover" in element.attributes)).toEqual([]);
    const cells = findAll(page, (element) => element.tag === "td" && textOf(element) === hostile);
    expect(cells.length).toBeGreaterThan(0);
    expect(bars(page).find((bar) => bar.task === task.id)?.title).toContain(hostile);
  });

  it("refuses an unknown run with a user error", () => {
    expect(() => renderHtmlReport(runs.red.store, "r-nope")).toThrow(UserError);
  });
});

describe("renderHtmlReport at scale", () => {
  it("stays compact and correct with hundreds of tasks and attempts", () => {
    withSyntheticRun(1_800_000_000_000, { runId: "r-big", tasks: 400, workers: 24 }, (store, run) => {
      expect(run.attempts).toBeGreaterThan(500);
      const source = renderHtmlReport(store, run.runId, { maxTranscripts: 30, maxOutputChars: 1500 });
      expect(Buffer.byteLength(source)).toBeLessThan(1_500_000);
      const page = parseStrictHtml(source);
      const drawn = bars(page);
      expect(drawn).toHaveLength(run.attempts);
      expect(overlaps(drawn)).toEqual([]);
      expect(Math.max(...drawn.map((bar) => bar.lane)) + 1).toBeLessThanOrEqual(24);
      const conflicts = store.merges(run.runId).filter((merge) => merge.outcome === "conflict");
      expect(conflicts.length).toBeGreaterThan(0);
      for (const conflict of conflicts) {
        const bar = drawn.find((item) => item.task === conflict.taskId && item.attempt === conflict.attempt);
        expect(bar?.title).toContain(`${conflict.taskId} attempt ${conflict.attempt}: conflict`);
      }
      const transcripts = findAll(page, (element) => element.attributes.class === "transcript");
      expect(transcripts).toHaveLength(30);
      const outputs = findAll(
        page,
        (element) => element.tag === "pre" && element.attributes.class === "output",
      );
      expect(Math.max(...outputs.map((output) => textOf(output).length))).toBeLessThan(1600);
      expect(textOf(page)).toContain('</pre><script>alert("');
      expect(findAll(page, (element) => element.tag === "script")).toHaveLength(1);
    });
  });
});
