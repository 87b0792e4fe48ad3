import { ManualClock } from "@longshot/core";
import { describe, expect, it } from "vitest";
import type { PlannedTask } from "./plan-schema.js";
import { TaskGraph } from "./task-graph.js";
import { validatePlan } from "./validate-plan.js";

function planned(key: string, scope: string[], dependsOn: string[] = []): PlannedTask {
  return {
    key,
    title: `Do ${key}`,
    description: `Build ${key}.`,
    acceptance: [`${key} works`],
    scope,
    dependsOn,
    priority: 50,
    size: "s",
    composite: false,
  };
}

function emptyGraph(): TaskGraph {
  return new TaskGraph({ runId: "r1", branchPrefix: "longshot/", clock: new ManualClock() });
}

function problemsOf(result: ReturnType<typeof validatePlan>): readonly string[] {
  return result.ok ? [] : result.problems;
}

describe("validatePlan", () => {
  it("accepts a well-formed batch and resolves keys of earlier batches to ids", () => {
    const graph = emptyGraph();
    graph.add({ title: "base", description: "d", scope: ["package.json"] });
    const result = validatePlan(
      graph,
      { add: [planned("api", ["src/api/**"], ["setup"]), planned("db", ["src/db/**"], ["t0001"])] },
      { earlierKeys: new Map([["setup", "t0001"]]) },
    );
    expect(result.ok && result.resolved.add.map((entry) => [entry.key, entry.spec.dependsOn])).toEqual([
      ["api", ["t0001"]],
      ["db", ["t0001"]],
    ]);
  });

  it("names a dependency cycle with the task keys", () => {
    const result = validatePlan(emptyGraph(), {
      add: [planned("a", ["a.ts"], ["c"]), planned("b", ["b.ts"], ["a"]), planned("c", ["c.ts"], ["b"])],
    });
    expect(problemsOf(result)).toEqual(['Dependency cycle: "a" -> "c" -> "b" -> "a".']);
  });

  it("names unknown dependencies, empty scopes and duplicate keys", () => {
    const result = validatePlan(emptyGraph(), {
      add: [planned("a", ["a.ts"], ["ghost"]), planned("b", [" "]), planned("a", ["c.ts"])],
    });
    expect(problemsOf(result)).toEqual([
      'Task "b" has an empty scope; list the files or globs it may touch.',
      'Key "a" is used by more than one task; keys must be unique.',
      '"a" depends on "ghost", which is neither a key in this reply nor an existing task id.',
    ]);
  });

  it("flags overlapping scopes only between tasks where neither depends on the other", () => {
    const graph = emptyGraph();
    graph.add({ title: "existing", description: "d", scope: ["src/index.ts"] });
    const result = validatePlan(graph, {
      add: [
        planned("api", ["src/api/**"]),
        planned("routes", ["src/api/routes.ts"]),
        planned("chained", ["src/api/util.ts"], ["api"]),
        planned("entry", ["src/index.ts"]),
      ],
    });
    expect(problemsOf(result)).toEqual([
      '"api" and "routes" both touch src/api/** and src/api/routes.ts but neither depends on the other: add a dependency or separate their scopes.',
      't0001 and "entry" both touch src/index.ts but neither depends on the other: add a dependency or separate their scopes.',
    ]);
  });

  it("ignores overlaps with landed or cancelled tasks", () => {
    const graph = emptyGraph();
    graph.addAll([
      { key: "a", spec: { title: "a", description: "d", scope: ["src/a.ts"] } },
      { key: "b", spec: { title: "b", description: "d", scope: ["src/b.ts"] } },
    ]);
    for (const state of ["ready", "running", "merging", "landed"] as const)
      graph.transition("t0001", state, "test");
    graph.transition("t0002", "cancelled", "test");
    expect(validatePlan(graph, { add: [planned("again", ["src/a.ts", "src/b.ts"])] }).ok).toBe(true);
  });

  it("refuses a cancellation that strands a dependent, and a completion claim with open tasks", () => {
    const graph = emptyGraph();
    graph.addAll([
      { key: "a", spec: { title: "a", description: "d", scope: ["a"] } },
      { key: "b", spec: { title: "b", description: "d", scope: ["b"], dependsOn: ["a"] } },
    ]);
    const stranded = validatePlan(graph, { add: [], cancel: ["t0001"], complete: true });
    expect(problemsOf(stranded)).toEqual([
      "t0002 depends on t0001, which you cancel: cancel t0002 as well or amend its dependsOn.",
      "You declared the request complete, but 1 task is still open (t0002): finish or cancel them, or set complete to false.",
    ]);
    expect(validatePlan(graph, { add: [], cancel: ["t0001", "t0002"], complete: true }).ok).toBe(true);
  });

  it("counts a reverted task as open: no completion claim passes over it, and it may be retried", () => {
    const graph = emptyGraph();
    graph.addAll([
      { key: "a", spec: { title: "a", description: "d", scope: ["a"] } },
      { key: "b", spec: { title: "b", description: "d", scope: ["b"] } },
    ]);
    for (const id of ["t0001", "t0002"])
      for (const state of ["ready", "running", "merging", "landed"] as const)
        graph.transition(id, state, "test");
    expect(graph.transition("t0001", "reverted", "its landing broke the build").ok).toBe(true);
    expect(problemsOf(validatePlan(graph, { add: [], complete: true }))).toEqual([
      "You declared the request complete, but 1 task is still open (t0001): finish or cancel them, or set complete to false.",
    ]);
    const retried = validatePlan(graph, { add: [], retry: ["t0001"] });
    expect(retried.ok && retried.resolved.retry).toEqual(["t0001"]);
    expect(problemsOf(validatePlan(graph, { add: [], retry: ["t0002"] }))).toEqual([
      "Cannot retry t0002: it is landed.",
    ]);
  });

  it("refuses to amend or retry tasks that are not in a state that allows it", () => {
    const graph = emptyGraph();
    graph.add({ title: "a", description: "d", scope: ["a"] });
    graph.transition("t0001", "ready", "test");
    graph.transition("t0001", "running", "test");
    const result = validatePlan(graph, {
      add: [],
      amend: [
        {
          id: "t0001",
          title: "x",
          description: null,
          acceptance: null,
          scope: null,
          dependsOn: null,
          priority: null,
        },
      ],
      retry: ["t0001", "t0009"],
    });
    expect(problemsOf(result)).toEqual([
      "Cannot amend t0001: it is running.",
      "Cannot retry t0001: it is running.",
      "Cannot retry t0009: there is no such task.",
    ]);
  });

  it("lets a split's children inherit the parent's dependencies and refuses a dependency on the parent", () => {
    const graph = emptyGraph();
    graph.addAll([
      { key: "base", spec: { title: "base", description: "d", scope: ["src/shared.ts"] } },
      {
        key: "big",
        spec: { title: "big", description: "d", scope: ["src/**"], dependsOn: ["base"], composite: true },
      },
    ]);
    const fine = validatePlan(graph, {
      add: [planned("one", ["src/shared.ts"]), planned("two", ["src/two.ts"])],
      replacing: "t0002",
    });
    expect(fine.ok).toBe(true);
    const bad = validatePlan(
      graph,
      { add: [planned("one", ["src/one.ts"], ["t0002"])], replacing: "t0002" },
      { minTasks: 2 },
    );
    expect(problemsOf(bad)).toEqual([
      "The reply adds 1 task; at least 2 are needed.",
      '"one" depends on t0002, the task being split; depend on its siblings or its dependencies instead.',
    ]);
  });
});
