import { HandoffSchema } from "@longshot/core";
import type { FakeRequest } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { type AgentFixture, eventsOf } from "../__fixtures__/agent-fixture.js";
import { cliCommand } from "../__fixtures__/cli-commands.js";
import { expectHowdyRun, expectOutcome, runHarness, sideCalls } from "../__fixtures__/cli-run.js";

const codexCommand = cliCommand("codex");
const piCommand = cliCommand("pi");
const edit = "sed -i 's/Hello, /Howdy, /' src/greet.js";

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
    await expectHowdyRun(fixture, run.result);
    expect(HandoffSchema.parse(run.result.handoff)).toMatchObject({
      status: "complete",
      summary: "Changed greet() to say Howdy.",
      filesChanged: ["src/greet.js"],
    });
    expect(run.result.usage.promptTokens).toBeGreaterThan(0);
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
    await expectHowdyRun(fixture, run.result);
    expect(run.result.handoff.summary).toBe("Howdy is in.");
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
