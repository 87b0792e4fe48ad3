import { UserError } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { recordRunsForFile, redRun } from "./__fixtures__/recorded-run.js";
import { appendSyntheticRun, withMemoryStore } from "./__fixtures__/synthetic-run.js";
import { renderRunDetail } from "./run-detail.js";
import { renderRunList } from "./run-list.js";

const runs = recordRunsForFile({ red: redRun });

function section(text: string, heading: string): string[] {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.startsWith(heading));
  const end = lines.findIndex((line, index) => index > start && line === "");
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

describe("renderRunList", () => {
  it("lists runs newest first in aligned columns no wider than 100", () => {
    withMemoryStore(Date.UTC(2026, 10, 21, 9, 30), (store, clock) => {
      appendSyntheticRun(store, clock, { runId: "r-first", tasks: 6, workers: 2 });
      clock.advance(3_600_000);
      const request = `Rewrite the whole billing system ${"with great care ".repeat(10)}`;
      store.append("r-second", {
        type: "run-start",
        request,
        repo: "/repo",
        baseCommit: "b".repeat(40),
        targetBranch: "main",
        integrationBranch: "longshot/r-second/integration",
        settings: {},
      });
      const lines = renderRunList(store).trimEnd().split("\n");
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^RUN\s+STATUS\s+STARTED\s+DURATION\s+TASKS\s+COST\s+REQUEST$/);
      expect(lines[1]).toMatch(
        /^r-second\s+running\s+2026-11-21 \d\d:\d\d\s+0 ms so far\s+0\/0\s+\$0\.00\s+Rewrite the whole/,
      );
      expect(lines[1]).toMatch(/…$/);
      const first = store.getRun("r-first")!;
      expect(lines[2]).toMatch(
        new RegExp(
          `^r-first\\s+red\\s+2026-11-21 09:30\\s+\\d+m \\d\\ds\\s+${first.tasks.landed}/${first.taskTotal}\\s+\\$${first.costUsd.toFixed(4).replace(".", "\\.")}\\s+Build a big`,
        ),
      );
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
      // Columns line up: the request starts at the same column on every line.
      const column = lines[0]!.indexOf("REQUEST");
      expect(lines[1]!.indexOf("Rewrite")).toBe(column);
      expect(lines[2]!.indexOf("Build")).toBe(column);
      expect(renderRunList(store, { timeZone: "Asia/Tokyo" })).toContain("2026-11-21 18:30");
    });
  });

  it("says how to start when there are no runs", () => {
    withMemoryStore(0, (store) => {
      expect(renderRunList(store)).toBe('No runs yet. Start one with `longshot "Build per SPEC.md"`.\n');
    });
  });
});

describe("renderRunDetail", () => {
  it("summarizes a red run and lists every task with its state, kind and attempts", () => {
    const text = renderRunDetail(runs.red.store, runs.red.runId);
    const run = runs.red.store.getRun(runs.red.runId)!;
    expect(text.split("\n")[0]).toBe(`Run ${runs.red.runId}: red — ${run.reason}`);
    expect(text).toContain(
      `Tasks     ${run.tasks.landed} of ${run.taskTotal} landed · 0 failed · ${run.tasks.cancelled} cancelled`,
    );
    expect(text).toContain(`Health    red at ${run.lastHealth!.commit.slice(0, 10)}: build ok, test FAILED`);
    expect(text).toContain("Failing check test: node -e");
    expect(text).toContain("  not ok 1 - hidden acceptance <b>fails</b>");
    const tasks = section(text, "Tasks (");
    expect(tasks[0]).toMatch(/^TASK\s+STATE\s+KIND\s+ATTEMPTS\s+TITLE$/);
    const stored = runs.red.store.listTasks(runs.red.runId);
    expect(tasks).toHaveLength(stored.length + 1);
    for (const [index, task] of stored.entries()) {
      expect(tasks[index + 1]).toMatch(
        new RegExp(`^${task.id}\\s+${task.state}\\s+${task.kind}\\s+${task.attempts}\\s+\\S`),
      );
    }
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
  });

  it("shows each attempt of retried tasks with its model, result and why", () => {
    const text = renderRunDetail(runs.red.store, runs.red.runId);
    const attempts = section(text, "Attempts of retried tasks");
    const sum = runs.red.store.listTasks(runs.red.runId).find((task) => task.title === "Implement sum")!;
    const rows = attempts.filter((line) => line.startsWith(sum.id));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^t\d+\s+1\s+fake-model\s+rejected\s+\S+ m?s\s+The tests for sum do not cover/);
    expect(rows[1]).toMatch(/^t\d+\s+2\s+fake-alt\s+landed\s+\S+ m?s$/);
  });

  it("lists the merges and the cost by role and model", () => {
    const text = renderRunDetail(runs.red.store, runs.red.runId);
    const merges = section(text, "Merges (");
    expect(merges).toHaveLength(runs.red.store.merges(runs.red.runId).length + 1);
    for (const merge of runs.red.store.merges(runs.red.runId)) {
      expect(
        merges.some((line) =>
          line.includes(`${merge.taskId}  ${merge.attempt}  landed   ${merge.sha!.slice(0, 10)}`),
        ),
      ).toBe(true);
    }
    const roles = section(text, "Cost by role");
    for (const row of runs.red.store.costByRole(runs.red.runId)) {
      expect(roles.some((line) => new RegExp(`^${row.key}\\s+${row.calls}\\s`).test(line))).toBe(true);
    }
    expect(roles.at(-1)).toMatch(
      new RegExp(`^total\\s+${runs.red.store.getRun(runs.red.runId)!.modelCalls}\\s`),
    );
    expect(section(text, "Cost by model").map((line) => line.split(/\s+/)[0])).toEqual([
      "MODEL",
      ...runs.red.store.costByModel(runs.red.runId).map((row) => row.key),
    ]);
  });

  it("refuses an unknown run with a user error that names the list command", () => {
    expect(() => renderRunDetail(runs.red.store, "r-nope")).toThrow(UserError);
    expect(() => renderRunDetail(runs.red.store, "r-nope")).toThrow(/longshot runs/);
  });
});
