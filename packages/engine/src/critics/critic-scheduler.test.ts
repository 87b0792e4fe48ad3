import { type LongshotEvent, type NewEvent, silentLogger, type Task, type TaskState } from "@longshot/core";
import { criticContext } from "@longshot/planner";
import { fakeTask } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import { runStart, stateRecorder } from "../__fixtures__/run-state-of.js";
import type { RunState } from "../run-state.js";
import type { CriticRange } from "./critic-evidence.js";
import type { CriticHost } from "./critic-port.js";
import { CriticScheduler } from "./critic-scheduler.js";

/** A host over a real folded run state; background work is awaited through `settled()`. */
function host(initial: Task[] = []) {
  const folded = stateRecorder();
  const state: RunState = folded.state;
  let next = 0;
  const pending: Promise<void>[] = [];
  const record = (event: NewEvent): LongshotEvent => {
    const recorded = folded.record(event);
    scheduler?.observe(recorded);
    return recorded;
  };
  let scheduler: CriticScheduler | null = null;
  const value: CriticHost & {
    settled(): Promise<void>;
    land(id: string): void;
    attach(s: CriticScheduler): void;
  } = {
    state,
    runSignal: new AbortController().signal,
    append: record,
    addTask: (spec, kind, options = {}) => {
      next += 1;
      const task = makeTask(`t${String(next).padStart(4, "0")}`, {
        ...spec,
        kind,
        parentId: options.parentId ?? null,
      } as Partial<Task>);
      record({ type: "task-add", task });
      return task;
    },
    transition: (taskId: string, to: TaskState, reason: string) => {
      const from = state.tasks.get(taskId)!.task.state;
      record({ type: "task-transition", taskId, from, to, reason });
    },
    withPlanner: (work) => {
      const done = work();
      pending.push(done);
      return done;
    },
    settled: async () => {
      while (pending.length > 0) await pending.shift();
    },
    land: (id) => {
      for (const to of ["ready", "running", "merging", "landed"] as const) value.transition(id, to, "test");
    },
    attach: (s) => {
      scheduler = s;
    },
  };
  record(runStart);
  for (const task of initial) {
    next += 1;
    record({ type: "task-add", task });
  }
  return value;
}

function makeTask(id: string, overrides: Partial<Task> = {}): Task {
  return fakeTask("r1", id, { title: id, description: id, scope: [], createdAt: 0, ...overrides });
}

function scheduler(target: ReturnType<typeof host>, ranges: CriticRange[] = []) {
  const created = new CriticScheduler(target, {
    every: 3,
    kinds: ["coverage"],
    threshold: 50,
    model: "critic-model",
    maxAttempts: 2,
    logger: silentLogger(),
    evidence: {
      gather: async (kind, range) => {
        ranges.push(range);
        return { kind, summary: "changed", files: ["src/a.ts"] };
      },
    },
  });
  target.attach(created);
  return created;
}

const critics = (target: ReturnType<typeof host>) =>
  [...target.state.tasks.values()].map((view) => view.task).filter((task) => task.kind === "critic");

describe("CriticScheduler", () => {
  it("schedules a round every N landings of planned work, reviewing what landed since the last one", async () => {
    const target = host(
      ["t0001", "t0002", "t0003", "t0004", "t0005", "t0006", "t0007"].map((id) => makeTask(id)),
    );
    const ranges: CriticRange[] = [];
    scheduler(target, ranges);
    target.land("t0001");
    target.land("t0002");
    await target.settled();
    expect(critics(target)).toEqual([]);
    target.state.head = "h3";
    target.land("t0003");
    await target.settled();
    expect(critics(target).map((task) => [task.title, task.context, task.scope])).toEqual([
      ["Critic round 1: coverage", criticContext(1, "h3", false), []],
    ]);
    for (const id of ["t0004", "t0005"]) target.land(id);
    // A critic's own landing does not count.
    target.land(critics(target)[0]!.id);
    await target.settled();
    expect(critics(target)).toHaveLength(1);
    target.state.head = "h6";
    target.land("t0006");
    await target.settled();
    expect(critics(target).map((task) => task.title)).toEqual([
      "Critic round 1: coverage",
      "Critic round 2: coverage",
    ]);
    expect(ranges).toEqual([
      { from: "base", to: "h3" },
      { from: "h3", to: "h6" },
    ]);
  });

  it("after a restart, neither repeats a round nor misses the final one, and the final one happens once", async () => {
    const first = host(["t0001", "t0002", "t0003", "t0004"].map((id) => makeTask(id)));
    scheduler(first);
    first.state.head = "h3";
    for (const id of ["t0001", "t0002", "t0003"]) first.land(id);
    await first.settled();
    expect(critics(first)).toHaveLength(1);
    // A new process: same state, new scheduler (nothing in memory).
    const restarted = scheduler(first);
    first.state.head = "h4";
    first.land("t0004");
    await first.settled();
    expect(critics(first)).toHaveLength(1);
    expect(restarted.beforeFinalize()).toBe(true);
    await first.settled();
    expect(critics(first).map((task) => task.title)).toEqual([
      "Critic round 1: coverage",
      "Critic round 2 (final): coverage",
    ]);
    expect(restarted.beforeFinalize()).toBe(false);
    expect(scheduler(first).beforeFinalize()).toBe(false);
  });

  it("turns a report into child tasks and notes, and rejects a critic that changed files", async () => {
    const target = host();
    const port = scheduler(target);
    const critic = target.addTask(
      {
        title: "Critic round 1: coverage",
        description: "[[critic:coverage]] review",
        context: criticContext(1, "h", false),
      },
      "critic",
    );
    target.transition(critic.id, "ready", "test");
    target.transition(critic.id, "running", "test");
    const view = () => target.state.tasks.get(critic.id)!;
    const handoff = (suggestions: string[]) => ({
      status: "complete" as const,
      summary: "",
      filesChanged: ["src/x.ts"],
      concerns: [],
      suggestions,
    });
    const usage = { promptTokens: 0, completionTokens: 0, cachedTokens: 0 };
    port.settle(view(), 1, {
      outcome: "complete",
      commit: "abc",
      handoff: handoff([]),
      reason: "done",
      usage,
    });
    expect(view().task.state).toBe("ready");
    expect(view().lastReason).toBe("the critic changed files");
    target.transition(critic.id, "running", "test");
    const finding = JSON.stringify({
      title: "Test x",
      severity: 70,
      scope: ["src/x.test.ts"],
      description: "untested",
    });
    port.settle(view(), 2, {
      outcome: "complete",
      commit: null,
      handoff: handoff([finding, "looks ok"]),
      reason: "done",
      usage,
    });
    expect(view().task.state).toBe("landed");
    const child = [...target.state.tasks.values()].find((entry) => entry.task.parentId === critic.id)?.task;
    expect(child).toMatchObject({ title: "Test x", kind: "plan", scope: ["src/x.test.ts"] });
  });
});
