import { type FakeRequest, ScriptedPolicy } from "@longshot/testkit";
import { describe, expect, it } from "vitest";
import {
  completed,
  fail,
  isRepair,
  land,
  landWith,
  planAll,
  plannedBatch,
  replanReply,
  splitReply,
  startPlannerHarness,
  task,
} from "./__fixtures__/planner-harness.js";

const isReplan = (round: number) => (request: FakeRequest) =>
  request.lastUserText().includes(`# Replan (round ${round})`);

describe("Planner replanning", () => {
  it("adds, amends and cancels pending tasks from handoffs, and completes only when nothing is open", async () => {
    const replans: FakeRequest[] = [];
    const record = (reply: ReturnType<typeof replanReply>) => (request: FakeRequest) => {
      replans.push(request);
      return reply;
    };
    const policy = new ScriptedPolicy([
      plannedBatch(
        1,
        [
          task("store", { scope: ["src/store.ts"] }),
          task("cache", { scope: ["src/cache.ts"], dependsOn: ["store"] }),
          task("cli", { scope: ["src/cli.ts"] }),
          task("warm", { scope: ["src/warm.ts"], dependsOn: ["cache"] }),
        ],
        false,
      ),
      {
        role: "planner",
        match: isReplan(2),
        reply: record(
          replanReply({ cancel: [{ id: "t0002", reason: "the store is fast enough" }], complete: true }),
        ),
      },
      {
        role: "planner",
        match: isRepair,
        reply: record(
          replanReply({
            add: [task("validation", { scope: ["src/validate.ts"], priority: 80 })],
            amend: [
              {
                id: "t0004",
                title: "Warm the store at start-up",
                description: null,
                acceptance: null,
                scope: null,
                dependsOn: ["validation"],
                priority: null,
              },
            ],
            cancel: [{ id: "t0002", reason: "the store is fast enough" }],
          }),
        ),
      },
      { role: "planner", match: isReplan(3), reply: record(replanReply({ complete: true })) },
    ]);
    const harness = await startPlannerHarness(policy);
    const planner = await harness.open({ replanEvery: 2 });
    await planAll(planner, harness.signal);

    landWith(
      planner,
      "t0001",
      completed("Store with get and put.", {
        filesChanged: ["src/store.ts"],
        concerns: ["Input is never validated before it is stored."],
        suggestions: ["Add a validation module."],
      }),
    );
    planner.recordMerge("t0001", "landed", "rebased onto integration");
    expect(planner.shouldReplan()).toBe(false);
    landWith(planner, "t0003", completed("CLI done."));
    planner.recordHealth(true, "build and 12 tests pass");
    expect(planner.shouldReplan()).toBe(true);

    harness.events.length = 0;
    const outcome = await planner.replan(harness.signal);

    expect(outcome).toMatchObject({
      kind: "replanned",
      round: 2,
      added: [{ id: "t0005", title: "Build validation" }],
      amended: ["t0004"],
      cancelled: ["t0002"],
      complete: false,
      repaired: true,
    });
    const news = replans[0]?.lastUserText() ?? "";
    expect(news).toContain(
      "concerns: Input is never validated before it is stored.; suggestions: Add a validation module.",
    );
    expect(news).toContain("- merge t0001 landed: rebased onto integration");
    expect(news).toContain("- build green: build and 12 tests pass");
    expect(news).toContain("t0002 [pending] (cache) Build cache");
    expect(replans[1]?.lastUserText()).toContain(
      "- t0004 depends on t0002, which you cancel: cancel t0004 as well or amend its dependsOn.",
    );
    expect(replans[1]?.lastUserText()).toContain(
      "- You declared the request complete, but 1 task is still open (t0004)",
    );
    expect(planner.graph.get("t0002")?.state).toBe("cancelled");
    expect(planner.graph.get("t0004")).toMatchObject({
      title: "Warm the store at start-up",
      dependsOn: ["t0005"],
    });
    expect(planner.graph.readyTasks().map((entry) => entry.id)).toEqual(["t0005"]);
    expect(harness.events.map((event) => event.type)).toEqual([
      "plan-start",
      "task-add",
      "task-update",
      "task-transition",
      "plan-batch",
    ]);
    expect(planner.shouldReplan()).toBe(false);
    expect(planner.complete).toBe(false);

    land(planner, "t0005");
    landWith(planner, "t0004", completed("Warm-up done."));
    expect(planner.shouldReplan()).toBe(true);
    const last = await planner.replan(harness.signal);

    expect(last).toMatchObject({ kind: "replanned", round: 3, complete: true, added: [] });
    expect(planner.complete).toBe(true);
    expect(planner.shouldReplan()).toBe(false);
    expect(harness.events.at(-1)).toEqual({
      type: "plan-complete",
      reason: "every item of SPEC.md has landed",
    });
    expect(replans[2]?.lastUserText()).toContain("Counts: landed 4, cancelled 1");
    harness.server.assertDone();
  });

  it("splits and retries failed tasks when the planner asks to", async () => {
    const policy = new ScriptedPolicy([
      plannedBatch(
        1,
        [task("parser", { scope: ["src/parser/**"] }), task("lexer", { scope: ["src/lexer.ts"] })],
        false,
      ),
      { role: "planner", match: isReplan(2), reply: replanReply({ split: ["t0001"], retry: ["t0002"] }) },
      {
        role: "subplanner",
        reply: splitReply([
          task("parse-expressions", { scope: ["src/parser/expressions.ts"] }),
          task("parse-statements", { scope: ["src/parser/statements.ts"], dependsOn: ["parse-expressions"] }),
        ]),
      },
    ]);
    const harness = await startPlannerHarness(policy);
    const planner = await harness.open();
    await planAll(planner, harness.signal);
    fail(planner, "t0001");
    fail(planner, "t0002");
    planner.recordFailure("t0001", "3 attempts: the parser tests time out");
    planner.recordFailure("t0002", "3 attempts: the sandbox ran out of disk");
    expect(planner.shouldReplan()).toBe(true);

    const outcome = await planner.replan(harness.signal);

    expect(outcome).toMatchObject({
      kind: "replanned",
      retried: ["t0002"],
      splits: [{ kind: "split", parentId: "t0001", tasks: [{ id: "t0003" }, { id: "t0004" }] }],
    });
    expect(harness.server.requests[1]?.lastUserText()).toContain(
      "- failure t0001: 3 attempts: the parser tests time out",
    );
    expect(planner.graph.all().map((entry) => [entry.id, entry.state])).toEqual([
      ["t0001", "split"],
      ["t0002", "ready"],
      ["t0003", "pending"],
      ["t0004", "pending"],
    ]);
    expect(planner.graph.readyTasks().map((entry) => entry.id)).toEqual(["t0002", "t0003"]);
    harness.server.assertDone();
  });

  it("answers a burst of replan requests during a slow planner call with one more call, not one each", async () => {
    let release!: () => void;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const replans: FakeRequest[] = [];
    const policy = new ScriptedPolicy([
      plannedBatch(1, [task("a"), task("b"), task("c"), task("d")], false),
      {
        role: "planner",
        match: isReplan(2),
        reply: async (request: FakeRequest) => {
          replans.push(request);
          await slow;
          return replanReply({});
        },
      },
      {
        role: "planner",
        match: isReplan(3),
        reply: (request: FakeRequest) => {
          replans.push(request);
          return replanReply({});
        },
      },
    ]);
    const harness = await startPlannerHarness(policy);
    const planner = await harness.open();
    await planAll(planner, harness.signal);
    landWith(planner, "t0001", completed("a is done"));
    const first = planner.replan(harness.signal);
    while (replans.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // Three more handoffs arrive while the planner thinks: each asks for a replan.
    const burst = ["t0002", "t0003", "t0004"].map((id) => {
      landWith(planner, id, completed(`${id} is done`));
      return planner.replan(harness.signal);
    });
    release();
    const outcomes = await Promise.all([first, ...burst]);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual([
      "replanned",
      "replanned",
      "replanned",
      "replanned",
    ]);
    // The first call saw a's handoff; one more call saw the three that came during it.
    expect(replans).toHaveLength(2);
    for (const id of ["t0002", "t0003", "t0004"]) expect(replans[1]!.lastUserText()).toContain(id);
    expect(harness.server.failures).toEqual([]);
  });
});
