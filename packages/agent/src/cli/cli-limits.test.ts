import { systemClock } from "@longshot/core";
import type { BudgetLimits } from "@longshot/llm";
import { type FakeToolCall, type ScriptEntry, ScriptedPolicy, testIdentity } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import {
  type AgentFixture,
  createAgentFixture,
  eventsOf,
  sandboxPath,
  testLimits,
} from "../__fixtures__/agent-fixture.js";
import { cliCommand } from "../__fixtures__/cli-commands.js";
import { createHarness } from "../create-harness.js";
import type { HarnessName } from "../harness.js";

type CliName = Exclude<HarnessName, "builtin">;

/** A call of each CLI's own shell tool. */
function shellCall(name: CliName, command: string): FakeToolCall {
  switch (name) {
    case "codex":
      return { name: "exec_command", arguments: { cmd: command } };
    case "pi":
      return { name: "bash", arguments: { command } };
    case "opencode":
      return { name: "bash", arguments: { command, description: "keep working" } };
    case "claude-code":
      return { name: "Bash", arguments: { command } };
  }
}

async function run(
  name: CliName,
  script: readonly ScriptEntry[],
  limits: { maxTurns: number; maxTokens?: number; budget?: BudgetLimits },
) {
  const fixture = await createAgentFixture({
    policy: new ScriptedPolicy(script),
    gateway: true,
    ...(limits.budget === undefined ? {} : { budget: limits.budget }),
  });
  const harness = createHarness(name, {
    clock: systemClock,
    author: testIdentity,
    checks: [{ name: "test", command: "npm test --silent" }],
    gateway: fixture.gateway!,
    command: cliCommand(name),
    env: { PATH: sandboxPath },
    refusalGraceMs: 5_000,
  });
  const result = await harness.run({
    task: fixture.task,
    attempt: 1,
    sandbox: fixture.sandbox,
    model: "fake-model",
    limits: {
      ...testLimits,
      maxTurns: limits.maxTurns,
      ...(limits.maxTokens === undefined ? {} : { maxTokens: limits.maxTokens }),
      wallTimeMs: 300_000,
      stuckTimeoutMs: 300_000,
    },
    signal: new AbortController().signal,
    emit: fixture.emit,
  });
  return { fixture, result };
}

/** A model that never stops calling tools (side calls without tools get a title): only a limit ends the attempt. */
const endless = (name: CliName): ScriptEntry[] => [
  {
    reply: (request) =>
      request.tools.length > 0 ? { toolCalls: [shellCall(name, "echo still working")] } : { text: "A title" },
    times: Number.POSITIVE_INFINITY,
  },
];

let fixture: AgentFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

describe.each(["codex", "pi", "opencode", "claude-code"] as const)(
  "%s under the gateway's turn limit",
  (name) => {
    it("AGENT_MAX_TURNS bounds the model calls, and the CLI is told why", async () => {
      const outcome = await run(name, endless(name), { maxTurns: 5 });
      fixture = outcome.fixture;
      expect(fixture.server.requests).toHaveLength(5);
      expect(outcome.result.turns).toBe(5);
      // Claude Code also gets the limit as its own --max-turns and may stop itself at it.
      const ends =
        name === "claude-code"
          ? /^failed: claude-code (used all 5 model turns without changing any file|exited with code \d+ and changed no files)\.$/
          : new RegExp(`^failed: ${name} used all 5 model turns without changing any file\\.$`);
      expect(`${outcome.result.outcome}: ${outcome.result.reason}`).toMatch(ends);
      if (name !== "claude-code")
        expect(outcome.result.handoff.concerns.join("\n")).toContain("AGENT_MAX_TURNS");
      expect(eventsOf(fixture.events, "model-call-end")).toHaveLength(5);
    });
  },
);

describe.each(["codex", "pi"] as const)("%s under budgets", (name) => {
  it("a run budget stops the attempt within one call, and the attempt reports the metered tokens", async () => {
    const usage = { inputTokens: 3_000, outputTokens: 100 };
    const script: ScriptEntry[] = [
      { reply: { toolCalls: [shellCall(name, "echo one")], usage }, times: Number.POSITIVE_INFINITY },
    ];
    // Each call is estimated at its prompt plus the 4,096-token output limit before it is sent.
    const outcome = await run(name, script, { maxTurns: 50, budget: { run: { tokens: 40_000 } } });
    fixture = outcome.fixture;
    const calls = fixture.server.requests.length;
    expect(calls).toBeGreaterThan(0);
    expect(outcome.result.outcome).toBe("budget");
    expect(outcome.result.reason).toContain("The run budget of 40000 tokens would be exceeded");
    const metered = outcome.result.usage.promptTokens + outcome.result.usage.completionTokens;
    expect(metered).toBe(calls * 3_100);
    expect(metered).toBeLessThanOrEqual(40_000);
    expect(fixture.model.ledger.run("run-1").tokens).toBe(metered);
    expect(eventsOf(fixture.events, "budget-refuse")).toHaveLength(1);
  });

  it("TASK_MAX_TOKENS (the attempt's token cap) ends the attempt as budget", async () => {
    const usage = { inputTokens: 2_000, outputTokens: 100 };
    const script: ScriptEntry[] = [
      { reply: { toolCalls: [shellCall(name, "echo one")], usage }, times: Number.POSITIVE_INFINITY },
    ];
    const outcome = await run(name, script, { maxTurns: 50, maxTokens: 5_000 });
    fixture = outcome.fixture;
    expect(fixture.server.requests).toHaveLength(3);
    expect(outcome.result.outcome).toBe("budget");
    expect(outcome.result.reason).toContain("used 6300 of its 5000 tokens");
    // Said as the task's own budget, so the run fails the task instead of draining.
    expect(eventsOf(fixture.events, "budget-refuse")).toMatchObject([
      { scope: "task", kind: "tokens", limit: 5_000, used: 6_300 },
    ]);
  });
});
