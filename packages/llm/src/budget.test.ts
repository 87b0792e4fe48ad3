import type { NewEvent } from "@longshot/core";
import { type FakeLlmServer, startFakeLlm } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { budgetLimitsFromConfig, checkBudget } from "./budget.js";
import { EndpointPool } from "./endpoint-pool.js";
import { ModelClient, type ModelClientOptions } from "./model-client.js";
import { PriceTable } from "./price-table.js";
import { UsageLedger } from "./usage-ledger.js";

const signal = new AbortController().signal;
const models = {
  planner: "big",
  subplanner: "big",
  worker: "small",
  judge: "small",
  fixer: "small",
  critic: "small",
};
// USD per million tokens.
const prices = new PriceTable(
  { big: { input: 10, output: 30, cached: 1 }, small: { input: 1, output: 2 } },
  {},
);

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
});

async function setup(
  options: Partial<ModelClientOptions> = {},
): Promise<{ client: ModelClient; events: NewEvent[] }> {
  server = await startFakeLlm({
    policy: (request) => ({
      text: "ok",
      usage:
        request.model === "big"
          ? { inputTokens: 2000, outputTokens: 1000, cachedInputTokens: 1000 }
          : { inputTokens: 100, outputTokens: 50 },
    }),
    models: ["big", "small"],
  });
  const events: NewEvent[] = [];
  const pool = new EndpointPool([{ name: "fake", endpoint: server.url, apiKey: "", weight: 1 }]);
  const client = new ModelClient({
    pool,
    models,
    prices,
    emit: (event) => events.push(event),
    maxTokens: 1000,
    ...options,
  });
  return { client, events };
}

const ask = (text: string) => ({ messages: [{ role: "user" as const, content: text }] });

describe("cost accounting", () => {
  it("sums tokens and cost per call, task, role, model and run", async () => {
    const { client } = await setup();
    await client.complete(ask("plan"), { role: "planner", runId: "r1", signal });
    await client.complete(ask("work"), { role: "worker", runId: "r1", taskId: "t1", signal });
    await client.complete(ask("work more"), { role: "worker", runId: "r1", taskId: "t1", signal });
    await client.complete(ask("judge"), { role: "judge", runId: "r1", taskId: "t1", signal });
    await client.complete(ask("other run"), { role: "worker", runId: "r2", taskId: "t1", signal });

    const ledger = client.ledger;
    // planner on "big": 1000 uncached × $10 + 1000 cached × $1 + 1000 output × $30 per million.
    expect(ledger.role("r1", "planner").costUsd).toBeCloseTo(0.041, 12);
    // each "small" call: 100 × $1 + 50 × $2 per million.
    expect(ledger.role("r1", "worker")).toMatchObject({
      calls: 2,
      promptTokens: 200,
      completionTokens: 100,
      tokens: 300,
    });
    expect(ledger.role("r1", "worker").costUsd).toBeCloseTo(0.0004, 12);
    expect(ledger.role("r1", "judge").costUsd).toBeCloseTo(0.0002, 12);
    expect(ledger.task("r1", "t1")).toMatchObject({ calls: 3, tokens: 450 });
    expect(ledger.task("r1", "t1").costUsd).toBeCloseTo(0.0006, 12);
    expect(ledger.run("r1")).toMatchObject({
      calls: 4,
      promptTokens: 2300,
      cachedTokens: 1000,
      tokens: 3450,
    });
    expect(ledger.run("r1").costUsd).toBeCloseTo(0.0416, 12);
    expect(ledger.model("r1", "big").calls).toBe(1);
    expect(ledger.run("r2").calls).toBe(1);
  });

  it("rebuilds the same totals from model-call-end events", async () => {
    const { client, events } = await setup();
    await client.complete(ask("plan"), { role: "planner", runId: "r1", signal });
    await client.complete(ask("work"), { role: "worker", runId: "r1", taskId: "t1", signal });
    const replayed = new UsageLedger();
    for (const event of events) if (event.type === "model-call-end") replayed.replay("r1", event);
    expect(replayed.run("r1")).toEqual(client.ledger.run("r1"));
    expect(replayed.task("r1", "t1")).toEqual(client.ledger.task("r1", "t1"));
  });
});

describe("budgets", () => {
  it("refuses a call that could exceed the run's USD cap before sending it", async () => {
    // A planner call on "big" could cost up to ~1000 output tokens × $30/M = $0.03 plus its prompt.
    const { client, events } = await setup({ budget: { run: { usd: 0.05 } } });
    const first = await client.complete(ask("plan"), { role: "planner", runId: "r1", signal });
    expect(first.ok).toBe(true);
    const second = await client.complete(ask("plan again"), { role: "planner", runId: "r1", signal });
    expect(second).toMatchObject({ ok: false, kind: "budget", scope: "run", resource: "usd", limit: 0.05 });
    expect(server?.requests).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({
      type: "budget-refuse",
      scope: "run",
      kind: "usd",
      taskId: null,
      limit: 0.05,
    });
    expect((events.at(-1) as { used: number }).used).toBeCloseTo(0.041, 12);
  });

  it("refuses by task token cap while other tasks go on", async () => {
    const { client, events } = await setup({ budget: { task: { tokens: 1100 } } });
    const worker = (taskId: string) => ({ role: "worker" as const, runId: "r1", taskId, signal });
    expect((await client.complete(ask("a"), worker("t1"))).ok).toBe(true);
    const refused = await client.complete(ask("b"), worker("t1"));
    expect(refused).toMatchObject({
      ok: false,
      kind: "budget",
      scope: "task",
      resource: "tokens",
      used: 150,
    });
    expect((await client.complete(ask("c"), worker("t2"))).ok).toBe(true);
    expect(server?.requests).toHaveLength(2);
    expect(events.filter((event) => event.type === "budget-refuse")).toEqual([
      { type: "budget-refuse", scope: "task", kind: "tokens", taskId: "t1", limit: 1100, used: 150 },
    ]);
  });

  it("counts calls in flight, so concurrent calls cannot overshoot together", async () => {
    const { client } = await setup({ budget: { run: { tokens: 2500 } } });
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, index) =>
        client.complete(ask(`w${index}`), { role: "worker", runId: "r1", signal }),
      ),
    );
    // Each call may take ~1000 output tokens plus its prompt: only two fit under 2500 at once.
    expect(results.filter((result) => result.ok)).toHaveLength(2);
    expect(results.filter((result) => !result.ok && result.kind === "budget")).toHaveLength(2);
    expect(server?.requests).toHaveLength(2);
  });
});

describe("checkBudget", () => {
  it("reads caps from the configuration", () => {
    const limits = budgetLimitsFromConfig({
      MAX_COST_USD: 5,
      MAX_TOKENS: undefined,
      TASK_MAX_COST_USD: undefined,
      TASK_MAX_TOKENS: 1000,
    });
    expect(limits).toEqual({ run: { usd: 5 }, task: { tokens: 1000 } });
    const ledger = new UsageLedger();
    expect(checkBudget(limits, ledger, { runId: "r", taskId: "t" }, { tokens: 1000, usd: 1 })).toBeNull();
    expect(checkBudget(limits, ledger, { runId: "r", taskId: "t" }, { tokens: 1001, usd: 1 })).toMatchObject({
      scope: "task",
      resource: "tokens",
    });
    expect(checkBudget(limits, ledger, { runId: "r", taskId: null }, { tokens: 1001, usd: 1 })).toBeNull();
  });
});
