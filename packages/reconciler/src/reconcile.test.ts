import { describe, expect, it } from "vitest";
import type { Failure } from "./failure.js";
import { type Culprit, type FixTaskRecord, type Observed, reconcile, type Sweep } from "./reconcile.js";

const desired = { maxFixAttempts: 2, finalizationMaxAttempts: 3 };

function failure(
  fingerprint: string,
  file: string | null = "src/a.ts",
  check: Failure["check"] = "build",
): Failure {
  return {
    fingerprint,
    check,
    command: `npm run ${check}`,
    file,
    test: null,
    code: "TS2322",
    message: "m",
    files: file === null ? [] : [file],
    cause: null,
    excerpt: "e",
  };
}

function sweep(id: number, failures: Failure[], commit = "h1"): Sweep {
  return { id, commit, green: failures.length === 0, checks: [], failures };
}

function observed(overrides: Partial<Observed> = {}): Observed {
  return {
    head: "h1",
    sweepDue: false,
    lastSweep: null,
    lastGreen: null,
    fixes: [],
    culprits: new Map(),
    reverted: new Set(),
    waiting: new Set(),
    reported: new Set(),
    finalizing: false,
    settled: false,
    unmerged: [],
    finalizationRound: 0,
    ...overrides,
  };
}

const culprit: Culprit = { sha: "bad1", previous: "good1", taskId: "t0007" };
const open = (taskId: string, ...fingerprints: string[]): FixTaskRecord => ({
  taskId,
  fingerprints,
  open: true,
  closedAfterSweep: null,
});
const closed = (taskId: string, after: number, ...fingerprints: string[]): FixTaskRecord => ({
  taskId,
  fingerprints,
  open: false,
  closedAfterSweep: after,
});

describe("reconcile while the run works", () => {
  it("sweeps when the head moved and does nothing on a green branch", () => {
    expect(reconcile(desired, observed({ sweepDue: true }))).toEqual([{ kind: "run-sweep" }]);
    expect(reconcile(desired, observed({ lastSweep: sweep(1, []) }))).toEqual([]);
  });

  it("bisects a new failure first when a green commit is known, then creates its fix task with the culprit", () => {
    const red = sweep(2, [failure("build:1")]);
    expect(reconcile(desired, observed({ lastSweep: red, lastGreen: "g0" }))).toEqual([
      { kind: "bisect", fingerprint: "build:1", check: "build", good: "g0", bad: "h1" },
    ]);
    const actions = reconcile(
      desired,
      observed({ lastSweep: red, lastGreen: "g0", culprits: new Map([["build:1", culprit]]) }),
    );
    expect(actions).toEqual([
      { kind: "create-fix-task", failure: failure("build:1"), related: [], culprit, attempt: 1 },
    ]);
  });

  it("creates a fix task without a culprit when no green commit is known", () => {
    expect(reconcile(desired, observed({ lastSweep: sweep(1, [failure("build:1")]) }))).toEqual([
      { kind: "create-fix-task", failure: failure("build:1"), related: [], culprit: null, attempt: 1 },
    ]);
  });

  it("never asks for a second fix task while one is open, however many sweeps see the failure", () => {
    for (let id = 1; id <= 20; id += 1) {
      const actions = reconcile(
        desired,
        observed({ lastSweep: sweep(id, [failure("build:1")]), fixes: [open("t0100", "build:1")] }),
      );
      expect(actions).toEqual([]);
    }
  });

  it("waits for a sweep that saw the closed fix before trying again, then tries attempt 2", () => {
    const fixes = [closed("t0100", 4, "build:1")];
    expect(reconcile(desired, observed({ lastSweep: sweep(4, [failure("build:1")]), fixes }))).toEqual([]);
    expect(reconcile(desired, observed({ lastSweep: sweep(5, [failure("build:1")]), fixes }))).toEqual([
      expect.objectContaining({ kind: "create-fix-task", attempt: 2 }),
    ]);
  });

  it("reverts the culprit once fix attempts are exhausted, and only once", () => {
    const base = {
      lastSweep: sweep(9, [failure("build:1"), failure("build:2")]),
      fixes: [closed("t1", 3, "build:1", "build:2"), closed("t2", 7, "build:1", "build:2")],
      culprits: new Map([
        ["build:1", culprit],
        ["build:2", culprit],
      ]),
    };
    expect(reconcile(desired, observed(base))).toEqual([
      { kind: "revert-culprit", fingerprint: "build:1", culprit },
    ]);
    expect(reconcile(desired, observed({ ...base, reverted: new Set(["bad1"]) }))).toEqual([]);
  });

  it("folds failures with one root cause (the same file, the same code in their stacks) into one fix task", () => {
    const throughB = {
      ...failure("test:2", "test/b.test.ts", "test"),
      files: ["test/b.test.ts", "src/b.ts"],
    };
    const failures = [
      failure("build:1"),
      failure("build:2"),
      failure("build:3", "src/b.ts"),
      failure("test:1", "src/a.ts", "test"),
      throughB,
    ];
    const actions = reconcile(desired, observed({ lastSweep: sweep(1, failures) }));
    expect(
      actions.map((action) =>
        action.kind === "create-fix-task"
          ? [action.failure.fingerprint, action.related.map((f) => f.fingerprint)]
          : action.kind,
      ),
    ).toEqual([
      ["build:1", ["build:2", "test:1"]],
      ["build:3", ["test:2"]],
    ]);
  });

  it("asks for no second fix task while any failure of the root cause has one open", () => {
    const shared = (fingerprint: string, test: string): Failure => ({
      ...failure(fingerprint, `test/${test}.test.ts`, "test"),
      test,
      cause: "TypeError: median is not a function",
    });
    const actions = reconcile(
      desired,
      observed({
        lastSweep: sweep(3, [shared("test:new", "c"), shared("test:1", "a")]),
        fixes: [open("t0100", "test:1")],
      }),
    );
    expect(actions).toEqual([]);
  });

  it("sends failures that wait for planned work to the planner, not to a fix task, when they are news", () => {
    const red = sweep(2, [failure("test:1", "src/a.test.ts", "test"), failure("build:1")]);
    const actions = reconcile(desired, observed({ lastSweep: red, waiting: new Set(["test:1"]) }));
    expect(actions).toEqual([
      { kind: "report-unfinished", failures: [failure("test:1", "src/a.test.ts", "test")] },
      { kind: "create-fix-task", failure: failure("build:1"), related: [], culprit: null, attempt: 1 },
    ]);
    const heard = new Set(["test:1"]);
    const later = sweep(5, [failure("test:1", "src/a.test.ts", "test")]);
    expect(reconcile(desired, observed({ lastSweep: later, waiting: heard, reported: heard }))).toEqual([]);
    // Not even a bisection: the check never passed with this failure in place.
    expect(
      reconcile(desired, observed({ lastSweep: later, lastGreen: "g0", waiting: heard, reported: heard })),
    ).toEqual([]);
  });

  it("reports red at the end when every failure waits for work that did not land", () => {
    const red = sweep(4, [failure("test:1", "src/a.test.ts", "test")]);
    const [action] = reconcile(
      desired,
      observed({ finalizing: true, settled: true, lastSweep: red, waiting: new Set(["test:1"]) }),
    );
    expect(action).toMatchObject({ kind: "finalize-red" });
    expect(action?.kind === "finalize-red" && action.reason).toMatch(/wait for tasks that did not land/);
  });

  it("repairs from the last sweep before sweeping a newer head", () => {
    expect(
      reconcile(desired, observed({ sweepDue: true, lastSweep: sweep(1, [failure("build:1")]) })).map(
        (action) => action.kind,
      ),
    ).toEqual(["create-fix-task", "run-sweep"]);
  });
});

describe("reconcile during finalization", () => {
  const finalizing = (overrides: Partial<Observed>): Observed =>
    observed({ finalizing: true, settled: true, ...overrides });

  it("waits while tasks still run, but keeps repairing", () => {
    expect(reconcile(desired, finalizing({ settled: false, lastSweep: sweep(1, []) }))).toEqual([]);
  });

  it("sweeps the final head, then reports green", () => {
    expect(reconcile(desired, finalizing({ lastSweep: sweep(1, [], "old") }))).toEqual([
      { kind: "run-sweep" },
    ]);
    expect(reconcile(desired, finalizing({ lastSweep: sweep(2, []) }))).toEqual([
      { kind: "finalize-green", commit: "h1" },
    ]);
  });

  it("starts a round with the fixes and retries it needs", () => {
    const actions = reconcile(
      desired,
      finalizing({ lastSweep: sweep(2, [failure("build:1")]), unmerged: ["t0003"] }),
    );
    expect(actions.map((action) => action.kind)).toEqual([
      "start-finalization-round",
      "create-fix-task",
      "retry-unmerged",
    ]);
    expect(actions[0]).toEqual({ kind: "start-finalization-round", round: 1 });
  });

  it("bisects without spending a round", () => {
    expect(
      reconcile(desired, finalizing({ lastSweep: sweep(2, [failure("build:1")]), lastGreen: "g0" })).map(
        (a) => a.kind,
      ),
    ).toEqual(["bisect"]);
  });

  it("reports red when the rounds are spent", () => {
    const [action] = reconcile(
      desired,
      finalizing({ lastSweep: sweep(7, [failure("build:1")]), finalizationRound: 3 }),
    );
    expect(action).toMatchObject({ kind: "finalize-red", commit: "h1", failures: [failure("build:1")] });
    expect(action?.kind === "finalize-red" && action.reason).toMatch(/after 3 finalization rounds/);
  });

  it("reports red at once when nothing is left to try", () => {
    const [action] = reconcile(
      desired,
      finalizing({
        lastSweep: sweep(7, [failure("build:1")]),
        fixes: [closed("a", 1, "build:1"), closed("b", 3, "build:1")],
      }),
    );
    expect(action).toMatchObject({ kind: "finalize-red" });
    expect(action?.kind === "finalize-red" && action.reason).toMatch(/no fix, revert or retry left/);
  });

  it("reports red for green code with unmerged work once rounds are spent", () => {
    const [action] = reconcile(
      desired,
      finalizing({ lastSweep: sweep(3, []), unmerged: ["t0004"], finalizationRound: 3 }),
    );
    expect(action).toMatchObject({ kind: "finalize-red", unmerged: ["t0004"] });
  });
});
