import { describe, expect, it } from "vitest";
import { parseCriticFindings, planFromFindings } from "./critic-findings.js";
import { criticTaskSpec, parseCriticContext } from "./critic-task.js";

const handoff = (suggestions: string[], concerns: string[] = []) => ({
  status: "complete" as const,
  summary: "reviewed",
  filesChanged: [],
  concerns,
  suggestions,
});

describe("parseCriticFindings", () => {
  it("reads JSON findings and keeps what is not one as unreadable text", () => {
    const parsed = parseCriticFindings(
      handoff(
        [
          '{"title":"Extract parseLine","severity":70,"scope":["src/parse.ts"],"description":"two copies"}',
          '[{"title":"Test clamp bounds","severity":20}]',
          "the code looks fine overall",
          '{"title":"","severity":500}',
        ],
        ["{not json"],
      ),
    );
    expect(parsed.findings.map((finding) => [finding.title, finding.severity, finding.scope])).toEqual([
      ["Extract parseLine", 70, ["src/parse.ts"]],
      ["Test clamp bounds", 20, []],
    ]);
    expect(parsed.unreadable).toEqual([
      "the code looks fine overall",
      '{"title":"","severity":500}',
      "{not json",
    ]);
  });

  it("reads nothing from a missing handoff", () => {
    expect(parseCriticFindings(null)).toEqual({ findings: [], unreadable: [] });
  });
});

describe("planFromFindings", () => {
  it("plans scoped tasks for findings at the threshold and notes the rest with the reason", () => {
    const plan = planFromFindings(
      [
        { title: "Note only", severity: 10, scope: ["a.ts"], description: "minor" },
        { title: "Extract shared parser", severity: 80, scope: ["src/parse.ts"], description: "dup" },
        { title: "No scope", severity: 90, scope: [], description: "" },
        { title: "Escapes", severity: 90, scope: ["../etc/passwd"], description: "" },
        { title: "Already there", severity: 60, scope: ["b.ts"], description: "" },
      ],
      { kind: "duplication", threshold: 50, existingTitles: new Set(["already  THERE"]) },
    );
    expect(plan.tasks).toHaveLength(1);
    expect(plan.tasks[0]).toMatchObject({
      title: "Extract shared parser",
      scope: ["src/parse.ts"],
      acceptance: ["The duplication critic's finding is resolved: Extract shared parser"],
    });
    expect(plan.tasks[0]?.description).toContain("Found by the duplication critic (severity 80)");
    expect(plan.notes).toEqual([
      "No scope (severity 90): not planned, no scope given.",
      'Escapes (severity 90): not planned, scope "../etc/passwd" is not a path in the repository.',
      "Already there (severity 60): already planned.",
      "Note only (severity 10): below the threshold of 50. minor",
    ]);
  });

  it("caps the tasks one critic adds, keeping the most severe", () => {
    const findings = [30, 95, 60, 75].map((severity) => ({
      title: `Finding ${severity}`,
      severity,
      scope: [`f${severity}.ts`],
      description: "",
    }));
    const plan = planFromFindings(findings, { kind: "coverage", threshold: 0, maxTasks: 2 });
    expect(plan.tasks.map((task) => task.title)).toEqual(["Finding 95", "Finding 75"]);
    expect(plan.notes).toHaveLength(2);
  });
});

describe("criticTaskSpec", () => {
  it("is read-only, names its round and the head it reviews, and carries the evidence", () => {
    const spec = criticTaskSpec(
      {
        kind: "performance",
        summary: "## Benchmark\n\nbaseline 12 ms",
        files: ["src/hot.ts"],
        command: "npm run bench",
      },
      { number: 3, head: "abc123", final: true },
    );
    expect(spec.scope).toEqual([]);
    expect(spec.title).toBe("Critic round 3 (final): performance");
    expect(spec.description).toContain("[[critic:performance]]");
    expect(spec.description).toContain("`npm run bench`");
    expect(spec.description).toContain("baseline 12 ms");
    expect(parseCriticContext(spec.context ?? "")).toEqual({ round: 3, head: "abc123", final: true });
    expect(parseCriticContext("fix the build")).toBeNull();
  });
});
