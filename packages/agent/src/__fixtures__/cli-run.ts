// Running one external CLI attempt against the fake server, and what every such run must show.
import { systemClock } from "@longshot/core";
import type { BudgetLimits } from "@longshot/llm";
import { type FakeRequest, type ScriptEntry, ScriptedPolicy, testIdentity } from "@longshot/testkit";
import { expect } from "vitest";
import { createHarness } from "../create-harness.js";
import type { AttemptResult, HarnessName } from "../harness.js";
import { type AgentFixture, createAgentFixture, eventsOf, sandboxPath, testLimits } from "./agent-fixture.js";
import { packageStore } from "./cli-commands.js";

const checks = [{ name: "test", command: "npm test --silent" }];

/**
 * Runs one attempt of `name` (started with `command`) on the fixture's sandbox, the model
 * scripted by `script`; `cloud` puts the sandbox on an offline cloud service whose egress allows
 * only the gateway's public URL.
 */
export async function runHarness(
  name: HarnessName,
  command: readonly string[],
  script: readonly ScriptEntry[],
  options: { maxTurns?: number; budget?: BudgetLimits; cloud?: "e2b" | "modal" } = {},
) {
  const fixture = await createAgentFixture({
    policy: new ScriptedPolicy(script),
    gateway: true,
    readOnlyPaths: [packageStore],
    apiKey: realKey,
    ...(options.budget === undefined ? {} : { budget: options.budget }),
    ...(options.cloud === undefined ? {} : { cloud: options.cloud }),
  });
  const harness = createHarness(name, {
    clock: systemClock,
    author: testIdentity,
    checks,
    gateway: fixture.gateway!,
    command,
    env: { PATH: sandboxPath },
    ...(fixture.gateway?.url ? { gatewayPublicUrl: fixture.gateway.url } : {}),
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

/** The key the model client holds: only the gateway may send it, and only upstream. */
export const realKey = "sk-upstream-real-key-0123456789abcdef";

/** Every upstream call came from the gateway (chat completions, the real key), one per metered turn. */
export function expectGatewayMetered(fixture: AgentFixture, result: AttemptResult): void {
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

export async function expectHowdyLanded(fixture: AgentFixture, commit: string | null): Promise<void> {
  expect(commit).toMatch(/^[0-9a-f]{40}$/);
  expect(await fixture.repo.sha(fixture.branch)).toBe(commit);
  expect(await fixture.repo.git(["show", `${fixture.branch}:src/greet.js`])).toContain('"Howdy, "');
  // Only the task's change is committed: no CLI state, no config with the endpoint.
  expect(await fixture.repo.git(["diff", "--name-only", fixture.repo.initial, fixture.branch])).toBe(
    "src/greet.js",
  );
}

/** Fails with the harness's reason, so a broken CLI run says why. */
export function expectOutcome(result: AttemptResult, outcome: AttemptResult["outcome"]): void {
  expect(`${result.outcome}: ${result.reason}`).toMatch(new RegExp(`^${outcome}: `));
}

/** Side calls without tools (titles, quota checks): answered with `text`, however many come. */
export function sideCalls(working: (request: FakeRequest) => boolean, text: string): ScriptEntry {
  return {
    match: (request) => !working(request),
    reply: { text },
    times: Number.POSITIVE_INFINITY,
    optional: true,
  };
}

/** The attempt completed, metered by the gateway, and landed the Howdy change. */
export async function expectHowdyRun(fixture: AgentFixture, result: AttemptResult): Promise<void> {
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

