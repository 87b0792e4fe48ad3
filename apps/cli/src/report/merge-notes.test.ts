import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock, type NewEvent, type Task } from "@longshot/core";
import { SqliteStore } from "@longshot/store";
import { fakeTask } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { renderHtmlReport } from "./html-report.js";
import { renderMarkdownReport } from "./markdown-report.js";

const runId = "r-merge-notes";
let dir: string | undefined;
let store: SqliteStore | undefined;
afterEach(() => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function task(id: string): Task {
  return fakeTask(runId, id, {
    title: `Export ${id}`,
    description: `Export ${id} from src/index.ts`,
    acceptance: ["exported"],
    scope: ["src/index.ts"],
  });
}

/** Two tasks: one lands after the queue resolved its conflict in the barrel, one adds nothing new. */
function run(): NewEvent[] {
  const landed = (taskId: string, sha: string, previous: string, noop: boolean): NewEvent[] => [
    { type: "task-transition", taskId, from: "pending", to: "ready", reason: "ready" },
    { type: "task-transition", taskId, from: "ready", to: "running", reason: "dispatched" },
    {
      type: "attempt-start",
      taskId,
      attempt: 1,
      model: "m",
      harness: "builtin",
      sandbox: "local",
      baseCommit: "b".repeat(40),
    },
    {
      type: "attempt-end",
      taskId,
      attempt: 1,
      outcome: "complete",
      commit: "c".repeat(40),
      handoff: null,
      reason: "",
    },
    { type: "task-transition", taskId, from: "running", to: "merging", reason: "accepted" },
    { type: "merge-land", taskId, attempt: 1, sha, previous, strategy: "rebase", noop },
    { type: "task-transition", taskId, from: "merging", to: "landed", reason: noop ? "no change" : "landed" },
  ];
  const first = "1".repeat(40);
  const second = "2".repeat(40);
  return [
    {
      type: "run-start",
      request: "Build per SPEC.md",
      repo: "/repo",
      baseCommit: first,
      targetBranch: "main",
      integrationBranch: `longshot/${runId}/integration`,
    },
    { type: "task-add", task: task("t0001") },
    { type: "task-add", task: task("t0002") },
    {
      type: "merge-auto-resolved",
      taskId: "t0001",
      attempt: 1,
      rule: "union-of-additions",
      files: ["src/index.ts"],
      hunks: 2,
    },
    ...landed("t0001", second, first, false),
    ...landed("t0002", second, second, true),
    { type: "run-end", status: "green", reason: "every check passes", head: second },
  ];
}

function openStore(): SqliteStore {
  dir = mkdtempSync(join(tmpdir(), "longshot-report-notes-"));
  store = new SqliteStore(join(dir, "longshot.db"), { clock: new ManualClock(1_700_000_000_000) });
  store.appendBatch(runId, run());
  return store;
}

describe("reports of conflicts the queue resolved and landings that changed nothing", () => {
  it("counts one landing, one no-change landing and one auto-resolution in the Markdown, with a table", () => {
    const markdown = renderMarkdownReport(openStore(), runId);
    expect(markdown).toContain(
      "**Merges:** 1 landed · 0 conflicts · 0 reverted · 1 auto-resolved · 1 with no change",
    );
    expect(markdown).toContain("### Conflicts the merge queue resolved");
    expect(markdown).toContain("| `t0001` | 1 | union-of-additions | src/index.ts | 2 |");
    expect(markdown).toContain("**Tasks:** 2 of 2 landed");
  });

  it("shows the same in the HTML report", () => {
    const page = renderHtmlReport(openStore(), runId);
    expect(page).toContain("1 auto-resolved · 1 with no change");
    expect(page).toContain("1 conflicts resolved by the merge queue");
    expect(page).toContain("<td>union-of-additions</td><td>src/index.ts</td><td>2</td>");
    expect(page).not.toContain('class="result failed"');
  });

  it("says how each conflict was resolved, by path, and the tokens each path took", () => {
    const notes = openStore();
    const resolution = {
      type: "conflict-resolution" as const,
      taskId: "t0002",
      attempt: 1,
      files: ["src/index.ts"],
    };
    notes.appendBatch(runId, [
      { type: "merge-conflict", taskId: "t0002", attempt: 1, files: ["src/index.ts"] },
      {
        ...resolution,
        method: "hunks",
        ok: false,
        hunks: 2,
        commit: null,
        usage: { promptTokens: 1_500, completionTokens: 100, cachedTokens: 0 },
        reason: "build failed on the resolution (exit 1): SyntaxError",
      },
      {
        ...resolution,
        method: "rerun",
        ok: true,
        hunks: 0,
        commit: "d".repeat(40),
        usage: { promptTokens: 9_000, completionTokens: 1_000, cachedTokens: 0 },
        reason: "the task ran again on the newest code",
      },
    ]);
    const markdown = renderMarkdownReport(notes, runId);
    expect(markdown).toContain("### How conflicts were resolved");
    expect(markdown).toContain(
      "1 conflicts went back from the merge queue; 11.6k tokens were spent answering them.",
    );
    expect(markdown).toContain("| queue: union of additions | 1 | 1 | 2 | 0 |");
    expect(markdown).toContain("| model on the conflicted hunks | 0 | 1 | 2 | 1.6k |");
    expect(markdown).toContain("| re-run of the task | 1 | 1 | 0 | 10.0k |");
    const page = renderHtmlReport(notes, runId);
    expect(page).toContain(
      "<td>model on the conflicted hunks</td><td>0</td><td>1</td><td>2</td><td>1.6k</td>",
    );
  });
});
