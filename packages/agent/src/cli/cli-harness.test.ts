import { HandoffSchema, systemClock } from "@longshot/core";
import type { BudgetLimits } from "@longshot/llm";
import { type FakeRequest, type ScriptEntry, ScriptedPolicy, testIdentity } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import {
  type AgentFixture,
  createAgentFixture,
  eventsOf,
  sandboxPath,
  testLimits,
} from "../__fixtures__/agent-fixture.js";
import { cliCommand, packageStore } from "../__fixtures__/cli-commands.js";
import { createHarness } from "../create-harness.js";
import type { AttemptResult, HarnessName } from "../harness.js";

const codexCommand = cliCommand("codex");
const piCommand = cliCommand("pi");
const checks = [{ name: "test", command: "npm test --silent" }];
const edit = "sed -i 's/Hello, /Howdy, /' src/greet.js";

async function runHarness(
  name: HarnessName,
  command: readonly string[],
  script: readonly ScriptEntry[],
  options: { maxTurns?: number; budget?: BudgetLimits } = {},
) {
  const fixture = await createAgentFixture({
    policy: new ScriptedPolicy(script),
    gateway: true,
    readOnlyPaths: [packageStore],
    apiKey: realKey,
    ...(options.budget === undefined ? {} : { budget: options.budget }),
  });
  const harness = createHarness(name, {
    clock: systemClock,
    author: testIdentity,
    checks,
    gateway: fixture.gateway!,
    command,
    env: { PATH: sandboxPath },
  });
  const result = await harness.run({
    task: fixture.task,
    attempt: 1,
    sandbox: fixture.sandbox,
    model: "fake-model",
    limits: { ...testLimits, wallTimeMs: 180_000, maxTurns: options.maxTurns ?? testLimits.maxTurns },
    signal: new AbortController().signal,
    emit: fixture.emit,
  });
  expect(fixture.gateway?.liveSessions).toBe(0);
  return { fixture, result };
}

const realKey = "sk-upstream-real-key-0123456789abcdef";

/** Every upstream call came from the gateway (chat completions, the real key), one per metered turn. */
function expectGatewayMetered(fixture: AgentFixture, result: AttemptResult): void {
  const requests = fixture.server.requests;
  expect(requests.every((request) => request.protocol === "chat")).toBe(true);
  expect(authorizations(requests)).toEqual([`Bearer ${realKey}`]);
  expect(result.turns).toBe(requests.length);
  const ends = eventsOf(fixture.events, "model-call-end");
  expect(ends).toHaveLength(requests.length);
  expect(ends.every((event) => event.taskId === "task-1" && event.attempt === 1)).toBe(true);
  const metered = ends.reduce(
    (sum, event) => sum + event.usage.promptTokens + event.usage.completionTokens,
    0,
  );
  expect(result.usage.promptTokens + result.usage.completionTokens).toBe(metered);
}

async function expectHowdyLanded(fixture: AgentFixture, commit: string | null): Promise<void> {
  expect(commit).toMatch(/^[0-9a-f]{40}$/);
  expect(await fixture.repo.sha(fixture.branch)).toBe(commit);
  expect(await fixture.repo.git(["show", `${fixture.branch}:src/greet.js`])).toContain('"Howdy, "');
  // Only the task's change is committed: no CLI state, no config with the endpoint.
  expect(await fixture.repo.git(["diff", "--name-only", fixture.repo.initial, fixture.branch])).toBe(
    "src/greet.js",
  );
}

/** Fails with the harness's reason, so a broken CLI run says why. */
function expectOutcome(result: AttemptResult, outcome: AttemptResult["outcome"]): void {
  expect(`${result.outcome}: ${result.reason}`).toMatch(new RegExp(`^${outcome}: `));
}

/** Side calls without tools (titles, quota checks): answered with `text`, however many come. */
function sideCalls(working: (request: FakeRequest) => boolean, text: string): ScriptEntry {
  return {
    match: (request) => !working(request),
    reply: { text },
    times: Number.POSITIVE_INFINITY,
    optional: true,
  };
}

/** The attempt completed, metered by the gateway, and landed the Howdy change. */
async function expectHowdyRun(fixture: AgentFixture, result: AttemptResult): Promise<void> {
  expectGatewayMetered(fixture, result);
  expectOutcome(result, "complete");
  await expectHowdyLanded(fixture, result.commit);
}

function authorizations(requests: readonly FakeRequest[]): string[] {
  return [
    ...new Set(
      requests.map((request) => request.headers.authorization ?? request.headers["x-api-key"] ?? ""),
    ),
  ];
}

describe("external coding CLIs against the fake server in a real sandbox", () => {
  let fixture: AgentFixture | undefined;
  afterEach(async () => {
    await fixture?.cleanup();
    fixture = undefined;
  });

  it("Codex (Responses API) makes the change; the outcome comes from the diff and the checks", async () => {
    const run = await runHarness("codex", codexCommand, [
      { toolCalls: [{ name: "exec_command", arguments: { cmd: edit } }] },
      { text: "Changed greet() to say Howdy." },
    ]);
    fixture = run.fixture;
    fixture.server.assertDone();
    expectGatewayMetered(fixture, run.result);
    expectOutcome(run.result, "complete");
    expect(HandoffSchema.parse(run.result.handoff)).toMatchObject({
      status: "complete",
      summary: "Changed greet() to say Howdy.",
      filesChanged: ["src/greet.js"],
    });
    expect(run.result.usage.promptTokens).toBeGreaterThan(0);
    await expectHowdyLanded(fixture, run.result.commit);
    const tools = eventsOf(fixture.events, "tool-call-end");
    expect(tools).toEqual([expect.objectContaining({ tool: "shell", ok: true, taskId: "task-1" })]);
    expect(eventsOf(fixture.events, "tool-call-start")[0]?.input).toContain("sed -i");
    expect(eventsOf(fixture.events, "agent-text").map((event) => event.text)).toContain(
      "Changed greet() to say Howdy.",
    );
  });

  it("Codex exiting 0 without changing anything is a failed attempt", async () => {
    const run = await runHarness("codex", codexCommand, [{ text: "Everything already works." }]);
    fixture = run.fixture;
    expectOutcome(run.result, "failed");
    expect(run.result.commit).toBeNull();
    expect(run.result.reason).toContain("exited with code 0 and changed no files");
  });

  it("Pi (chat completions) makes the change", async () => {
    const run = await runHarness("pi", piCommand, [
      { toolCalls: [{ name: "bash", arguments: { command: edit } }] },
      { text: "Howdy is in." },
    ]);
    fixture = run.fixture;
    fixture.server.assertDone();
    expectGatewayMetered(fixture, run.result);
    expectOutcome(run.result, "complete");
    expect(run.result.handoff.summary).toBe("Howdy is in.");
    await expectHowdyLanded(fixture, run.result.commit);
    expect(eventsOf(fixture.events, "tool-call-end")).toEqual([
      expect.objectContaining({ tool: "bash", ok: true }),
    ]);
  });

  it("Pi leaving the checks red is a partial attempt", async () => {
    const run = await runHarness("pi", piCommand, [
      { toolCalls: [{ name: "bash", arguments: { command: "sed -i 's/Hello, /Hiya, /' src/greet.js" } }] },
      { text: "Done." },
    ]);
    fixture = run.fixture;
    expectOutcome(run.result, "partial");
    expect(run.result.handoff.concerns).toContain("pi changed 1 files but these checks fail: test.");
    expect(run.result.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it("OpenCode (chat completions) makes the change", async () => {
    // OpenCode also asks a small model, without tools, for a session title.
    const working = (request: FakeRequest): boolean => request.tools.some((tool) => tool.name === "bash");
    const run = await runHarness("opencode", cliCommand("opencode"), [
      {
        match: working,
        reply: {
          toolCalls: [{ name: "bash", arguments: { command: edit, description: "edit greet" } }],
        },
      },
      { match: working, reply: { text: "Howdy done." } },
      sideCalls(working, "Greeting"),
    ]);
    fixture = run.fixture;
    await expectHowdyRun(fixture, run.result);
  });

  it("Claude Code (Anthropic Messages) makes the change", async () => {
    // Claude Code also makes small side calls without tools (titles, quota checks).
    const working = (request: FakeRequest): boolean => request.tools.some((tool) => tool.name === "Bash");
    const run = await runHarness("claude-code", cliCommand("claude-code"), [
      { match: working, reply: { toolCalls: [{ name: "Bash", arguments: { command: edit } }] } },
      { match: working, reply: { text: "Howdy done." } },
      sideCalls(working, "ok"),
    ]);
    fixture = run.fixture;
    await expectHowdyRun(fixture, run.result);
  });
});
