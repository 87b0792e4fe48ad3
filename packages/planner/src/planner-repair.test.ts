import type { FakeRequest } from "@longshot/testkit";
import { ScriptedPolicy } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import {
  batchReply,
  isRepair,
  planAll,
  plannedBatch,
  startPlannerHarness,
  task,
} from "./__fixtures__/planner-harness.js";
import type { PlannedTask } from "./plan-schema.js";

interface Case {
  readonly name: string;
  readonly invalid: readonly PlannedTask[];
  readonly problem: string;
}

const cases: readonly Case[] = [
  {
    name: "a dependency cycle",
    invalid: [task("a", { dependsOn: ["b"] }), task("b", { dependsOn: ["a"] })],
    problem: 'Dependency cycle: "a" -> "b" -> "a".',
  },
  {
    name: "a dependency on an unknown task",
    invalid: [task("a"), task("b", { dependsOn: ["t0042"] })],
    problem: '"b" depends on "t0042", which is neither a key in this reply nor an existing task id.',
  },
  {
    name: "an empty scope",
    invalid: [task("a"), task("b", { scope: [] })],
    problem: 'Task "b" has an empty scope; list the files or globs it may touch.',
  },
  {
    name: "overlapping scopes between independent tasks",
    invalid: [task("a", { scope: ["src/shared/**"] }), task("b", { scope: ["src/shared/util.ts"] })],
    problem:
      '"a" and "b" both touch src/shared/** and src/shared/util.ts but neither depends on the other: add a dependency or separate their scopes.',
  },
];

const valid = [task("a", { scope: ["src/a.ts"] }), task("b", { scope: ["src/b.ts"], dependsOn: ["a"] })];

describe.each(cases)("Planner validation: $name", ({ invalid, problem }) => {
  it("is caught and repaired in one round", async () => {
    const repairs: FakeRequest[] = [];
    const policy = new ScriptedPolicy([
      plannedBatch(1, invalid, false),
      {
        role: "planner",
        match: isRepair,
        reply: (request) => {
          repairs.push(request);
          return batchReply(valid, false);
        },
      },
    ]);
    const harness = await startPlannerHarness(policy);
    const planner = await harness.open();

    const steps = await planAll(planner, harness.signal);

    expect(steps).toMatchObject([
      { kind: "batch", batch: 1, taskIds: ["t0001", "t0002"], repaired: true, final: true },
    ]);
    expect(repairs[0]?.lastUserText()).toContain(`- ${problem}`);
    // The repair round shows the model its own invalid reply.
    expect(repairs[0]?.messages.at(-2)).toMatchObject({ role: "assistant" });
    expect(repairs[0]?.messages.at(-2)?.content).toContain('"key":"a"');
    expect(planner.graph.all().map((entry) => entry.title)).toEqual(["Build a", "Build b"]);
    expect(harness.events.some((event) => event.type === "plan-reject")).toBe(false);
    harness.server.assertDone();
  });

  it("rejects the plan with the exact problem when the repair is still invalid", async () => {
    const policy = new ScriptedPolicy([
      plannedBatch(1, invalid, true),
      { role: "planner", match: isRepair, reply: batchReply(invalid, true) },
    ]);
    const harness = await startPlannerHarness(policy);
    const planner = await harness.open();

    const steps = await planAll(planner, harness.signal);

    expect(steps).toEqual([{ kind: "rejected", batch: 1, problems: [problem] }]);
    expect(planner.graph.size).toBe(0);
    expect(planner.rejection).toEqual({ stage: "batch 1", problems: [problem] });
    expect(harness.events).toEqual([
      { type: "plan-start", batch: 1 },
      { type: "plan-reject", problems: [problem] },
    ]);
    harness.server.assertDone();

    // The rejection is persisted: a restarted planner does not ask the model again.
    const reopened = await harness.open();
    expect(await planAll(reopened, harness.signal)).toEqual([]);
    expect(reopened.rejection?.problems).toEqual([problem]);
    expect(harness.server.requests).toHaveLength(2);
  });
});
