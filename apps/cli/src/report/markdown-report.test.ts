import { UserError } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { greenRun, type RecordedRun, recordRunsForFile, redRun } from "./__fixtures__/recorded-run.js";
import { withSyntheticRun } from "./__fixtures__/synthetic-run.js";
import { renderMarkdownReport } from "./markdown-report.js";

const runs = recordRunsForFile({ green: greenRun, red: redRun });

/** The report of a recorded run, and the run as the store summarizes it. */
function reportOf(recorded: RecordedRun) {
  const markdown = renderMarkdownReport(recorded.store, recorded.runId);
  return { markdown, run: recorded.store.getRun(recorded.runId)! };
}

/** The Markdown with fenced blocks and code spans removed: what GitHub would read as markup. */
function outsideCode(markdown: string): string {
  return markdown.replace(/```[^\n]*\n[\s\S]*?\n```/g, "").replace(/`[^`\n]*`/g, "");
}

describe("renderMarkdownReport on a green run", () => {
  it("states the status, the request and counts that match the store", () => {
    const { markdown, run } = reportOf(runs.green);
    expect(run.status).toBe("green");
    expect(markdown.split("\n")[0]).toBe("## ✅ Longshot run green: Build per SPEC.md");
    expect(markdown).toContain(
      `**Tasks:** ${run.tasks.landed} of ${run.taskTotal} landed · 0 failed · 0 cancelled`,
    );
    expect(markdown).toContain(
      `**Merges:** ${run.merges.landed} landed · ${run.merges.conflicts} conflict${run.merges.conflicts === 1 ? "" : "s"} · 0 reverted`,
    );
    const sweeps = runs.green.store.healthHistory(runs.green.runId);
    const redSweeps = sweeps.filter((sweep) => !sweep.green).length;
    const fixes = runs.green.store.fixes(runs.green.runId).length;
    expect(fixes).toBeGreaterThan(0);
    expect(redSweeps).toBeGreaterThan(0);
    expect(markdown).toContain(
      `green at \`${run.head!.slice(0, 10)}\` (${sweeps.length} sweeps, ${redSweeps} red, ${fixes} fix task${fixes === 1 ? "" : "s"})`,
    );
    expect(markdown).not.toContain("### Failures");
  });

  it("has a cost and token table with a row per role and the run's totals", () => {
    const { markdown, run } = reportOf(runs.green);
    const table = markdown.slice(markdown.indexOf("### Cost and tokens by role"));
    expect(table).toContain("| Role | Calls | Prompt | Completion | Cached | Cost |");
    for (const row of runs.green.store.costByRole(runs.green.runId)) {
      expect(table).toMatch(new RegExp(`\\| ${row.key} \\| ${row.calls} \\| `));
    }
    expect(table).toMatch(new RegExp(`\\| \\*\\*total\\*\\* \\| ${run.modelCalls} \\| `));
  });

  it("lists every task in a collapsed section", () => {
    const markdown = renderMarkdownReport(runs.green.store, runs.green.runId);
    const tasks = runs.green.store.listTasks(runs.green.runId);
    expect(markdown).toContain(`<details><summary>Tasks (${tasks.length})</summary>`);
    for (const task of tasks) expect(markdown).toContain(`| \`${task.id}\` | ${task.state} | ${task.kind} |`);
  });

  it("says where the target was moved to, as recorded when it moved", () => {
    const { markdown, run } = reportOf(runs.green);
    const moved = runs.green.store.events(runs.green.runId, { types: ["target-update"] }).at(-1);
    expect(moved).toMatchObject({ landed: true });
    const sha = moved?.type === "target-update" ? moved.sha : null;
    expect(markdown).toContain(
      `- **Branch:** \`${run.integrationBranch}\` at \`${run.head!.slice(0, 10)}\`; \`main\` fast-forwarded to \`${sha!.slice(0, 10)}\``,
    );
  });

  it("gives the command to land the branch when the target was not fast-forwarded", () => {
    const command = `git -C /repo merge --ff-only longshot/${runs.green.runId}/integration`;
    runs.green.store.append(runs.green.runId, {
      type: "target-update",
      branch: "main",
      sha: null,
      landed: false,
      command,
    });
    const markdown = renderMarkdownReport(runs.green.store, runs.green.runId);
    expect(markdown).toContain(
      `### Land the work\n\n\`main\` was not updated. When you are ready, run:\n\n\`\`\`sh\n${command}\n\`\`\``,
    );
  });
});

describe("renderMarkdownReport on a red run", () => {
  it("says red, names the failing check with its output, and the tasks that did not land", () => {
    const { markdown, run } = reportOf(runs.red);
    expect(run.status).toBe("red");
    expect(markdown.split("\n")[0]).toBe("## ❌ Longshot run red: Build per SPEC.md");
    expect(markdown).toContain(`**red** — ${run.reason}`);
    expect(markdown).toContain(`**Health:** **red** at \`${run.lastHealth!.commit.slice(0, 10)}\``);
    const failures = markdown.slice(markdown.indexOf("### Failures"), markdown.indexOf("### Health"));
    expect(failures).toContain("- **test** failed after");
    expect(failures).toContain("```\nnot ok 1 - hidden acceptance <b>fails</b>\n```");
    const dropped = runs.red.store.listTasks(runs.red.runId, { state: ["failed", "cancelled"] });
    expect(dropped.length).toBeGreaterThan(0);
    // A task the planner dropped says so; one whose dependency failed first may be cancelled for
    // that instead (the engine and the planner race to it), and says that.
    for (const task of dropped) {
      expect(failures).toMatch(
        new RegExp(
          `\\| \`${task.id}\` \\| .* \\| ${task.state} \\| ${task.attempts} \\| (failed twice; dropped|dependency t\\d{4} failed) \\|`,
        ),
      );
    }
    expect(markdown).toContain(
      `${run.tasks.landed} of ${run.taskTotal} landed · 0 failed · ${run.tasks.cancelled} cancelled`,
    );
  });

  it("never says the target moved: the work's commit is on the integration branch, the target not updated", () => {
    const { markdown, run } = reportOf(runs.red);
    const line = markdown.split("\n").find((entry) => entry.startsWith("- **Branch:**"));
    expect(line).toBe(
      `- **Branch:** \`${run.integrationBranch}\`${run.head ? ` at \`${run.head.slice(0, 10)}\`` : ""}; \`main\` not updated`,
    );
    expect(markdown).not.toMatch(/fast-forwarded|→ `main` at/);
  });

  it("keeps recorded text inert: no markup, no table breaks and no mentions outside code", () => {
    const task = runs.red.store.listTasks(runs.red.runId, { state: "cancelled" })[0]!;
    runs.red.store.append(runs.red.runId, {
      type: "task-update",
      taskId: task.id,
      changes: { title: "<script>alert(1)</script> | @octocat [click](https://evil.example)" },
    });
    const markdown = renderMarkdownReport(runs.red.store, runs.red.runId);
    const prose = outsideCode(markdown);
    expect(prose).not.toMatch(/<script|<b>/);
    expect(prose).not.toContain("@octocat");
    expect(prose).not.toMatch(/(?<!\\)\]\(/);
    expect(markdown).toContain(
      "&lt;script&gt;alert(1)&lt;/script&gt; \\| @\u200boctocat \\[click\\](https://evil.example)",
    );
  });
});

describe("renderMarkdownReport size", () => {
  it("stays under the byte limit for hundreds of tasks and says what it left out", () => {
    withSyntheticRun(1_800_000_000_000, { runId: "r-big", tasks: 600, workers: 16 }, (store, run) => {
      const markdown = renderMarkdownReport(store, run.runId);
      expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(60_000);
      expect(markdown).toMatch(/… and \d+ more; `longshot show r-big` lists them all\./);
      expect(markdown).toContain(`${run.failedTasks} failed`);
      const small = renderMarkdownReport(store, run.runId, { maxBytes: 20_000 });
      expect(Buffer.byteLength(small)).toBeLessThanOrEqual(20_000);
      const tasks = small.slice(small.indexOf("<details><summary>Tasks (600)</summary>"));
      const listed = tasks.match(/^\| `t\d{4}` \|/gm)?.length ?? 0;
      expect(listed).toBeGreaterThan(50);
      expect(tasks).toContain(`… and ${600 - listed} more; \`longshot show r-big\` lists them all.`);
    });
  });

  it("refuses an unknown run with a user error", () => {
    expect(() => renderMarkdownReport(runs.green.store, "r-nope")).toThrow(UserError);
  });
});

describe("renderMarkdownReport with critics", () => {
  it("lists each critic report and its notes below the threshold, escaped", () => {
    withSyntheticRun(1_750_000_000_000, { runId: "r-critic", tasks: 4, workers: 2 }, (store, run) => {
      store.append(run.runId, {
        type: "critic-report",
        taskId: "t0009",
        critic: "duplication",
        round: 2,
        findings: [{ title: "Extract parser", severity: 80, scope: ["src/p.ts"], description: "two copies" }],
        taskIds: ["t0010"],
        notes: ["Rename <b>x</b> @octocat (severity 10): below the threshold of 50."],
      });
      const markdown = renderMarkdownReport(store, run.runId);
      const section = markdown.slice(markdown.indexOf("### Critics"));
      expect(section).toContain("- Round 2, duplication (`t0009`): 1 finding(s); planned `t0010`");
      expect(section).toContain("<details><summary>Notes below the threshold (1)</summary>");
      expect(section).toContain("Rename &lt;b&gt;x&lt;/b&gt; @\u200boctocat (severity 10)");
      expect(renderMarkdownReport(store, run.runId).indexOf("### Critics")).toBeLessThan(
        markdown.indexOf("### Cost and tokens by role"),
      );
    });
  });

  it("has no critic section when no critic ran", () => {
    expect(renderMarkdownReport(runs.green.store, runs.green.runId)).not.toContain("### Critics");
  });
});
