import { describe, expect, it } from "vitest";
import { type CriticStats, criticPolicy } from "./__fixtures__/critic-policy.js";
import { samplePerTest } from "./__fixtures__/sample-run.js";

const openSample = samplePerTest();

// A real swarm (git, worktree sandboxes, merge queue, health checks) on a shared machine: the
// limit is generous on purpose; the work, not the clock, is what the test checks.
describe("critics in a long run", () => {
  it("schedules read-only critics every 10 landings and at the end, plans their findings, and lands no critic edit", async () => {
    let stats: CriticStats | null = null;
    const sample = await openSample({
      modules: 20,
      workers: 4,
      models: ["fake-critic"],
      env: {
        CRITIC_EVERY: "10",
        CRITICS: "duplication,coverage,architecture",
        CRITIC_THRESHOLD: "50",
        LLM_CRITIC_MODEL: "fake-critic",
      },
      policy: (swarm) => {
        const policy = criticPolicy(swarm);
        stats = policy.criticStats;
        return policy;
      },
    });
    const runId = "r-e2e-critics";
    const { engine, start, integrationBranch } = await sample.open(runId, "Build per SPEC.md");
    const result = await engine.run(start);
    expect(result).toMatchObject({ status: "green", interrupted: false });

    const tasks = sample.store.listTasks(runId);
    const critics = tasks.filter((task) => task.kind === "critic");
    // Two rounds during the run (23 planned tasks landed: 10 and 20), one final round.
    const rounds = new Set(critics.map((task) => /^Critic round (\d+)/.exec(task.title)?.[1]));
    expect(rounds.size).toBeGreaterThanOrEqual(3);
    expect(critics.some((task) => task.title.includes("(final)"))).toBe(true);
    expect(critics.every((task) => task.scope.length === 0)).toBe(true);
    expect(critics.map((task) => task.state).filter((state) => state !== "landed")).toEqual([]);
    // The repository has no architecture notes: that critic was skipped with a note, never run.
    expect(critics.some((task) => task.title.endsWith("architecture"))).toBe(false);
    const events = sample.store.events(runId);
    const logs = events.flatMap((event) => (event.type === "log" ? [event.message] : []));
    expect(
      logs.some((message) =>
        /critic architecture \(round 1\) skipped: the repository has no architecture notes/.test(message),
      ),
    ).toBe(true);

    // Findings became scoped tasks (children of their critic), or notes below the threshold.
    const reports = events.flatMap((event) => (event.type === "critic-report" ? [event] : []));
    const planned = reports.flatMap((report) => report.taskIds);
    const fromFindings = tasks.filter((task) => planned.includes(task.id));
    expect(fromFindings.map((task) => task.title).sort()).toEqual([
      "Extract the shared key=value parser",
      "Test the key=value parsers",
    ]);
    for (const task of fromFindings) {
      expect(task.state).toBe("landed");
      expect(critics.map((critic) => critic.id)).toContain(task.parentId);
      expect(task.scope.length).toBeGreaterThan(0);
    }
    const notes = reports.flatMap((report) => report.notes);
    expect(
      notes.some((note) => note.startsWith("Test clamp with NaN (severity 20): below the threshold of 50")),
    ).toBe(true);
    expect(
      notes.some((note) => note.startsWith("Test the key=value parsers (severity 60): already planned")),
    ).toBe(true);

    // The critic that wrote a file was rejected and its work never reached the branch.
    expect(stats!.hostileWrites).toBe(1);
    const rejected = events.find(
      (event) =>
        event.type === "judge-verdict" &&
        !event.accepted &&
        event.feedback.startsWith("A critic is read-only"),
    );
    expect(rejected).toBeDefined();
    const landedTasks = new Set(
      events.flatMap((event) => (event.type === "merge-land" ? [event.taskId] : [])),
    );
    expect(critics.filter((task) => landedTasks.has(task.id))).toEqual([]);
    expect(sample.git("show", `${integrationBranch}:src/parse-lines.ts`)).toContain(
      "export function parseLines",
    );
    expect(sample.git("log", "--format=%s", integrationBranch)).not.toContain("critic");
    expect(sample.git("show", `${integrationBranch}:src/env.ts`)).toContain('from "./parse-lines.ts"');
    expect(sample.git("show", `${integrationBranch}:src/parse-lines.ts`)).not.toContain("a critic edit");

    // Every critic attempt ran on the critic model.
    expect([...stats!.criticModels]).toEqual(["fake-critic"]);
    for (const critic of critics) {
      const detail = sample.store.getTask(runId, critic.id)!;
      expect(detail.attempts.map((attempt) => attempt.model).every((model) => model === "fake-critic")).toBe(
        true,
      );
    }
  }, 600_000);
});
