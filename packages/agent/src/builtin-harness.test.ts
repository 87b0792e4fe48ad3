import { HandoffSchema, systemClock } from "@longshot/core";
import { type FakeRequest, ScriptedPolicy, testIdentity } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { type AgentFixture, createAgentFixture, eventsOf, testLimits } from "./__fixtures__/agent-fixture.js";
import { BuiltinHarness } from "./builtin-harness.js";

const checks = [{ name: "test", command: "npm test --silent" }];

function harnessFor(fixture: AgentFixture): BuiltinHarness {
  return new BuiltinHarness({
    languageModel: fixture.model,
    clock: systemClock,
    contextTokens: 128_000,
    author: testIdentity,
    checks,
  });
}

function runInput(fixture: AgentFixture) {
  return {
    task: fixture.task,
    attempt: 1,
    sandbox: fixture.sandbox,
    model: "fake-model",
    limits: testLimits,
    signal: new AbortController().signal,
    emit: fixture.emit,
  };
}

function toolResultOf(request: FakeRequest | undefined): string {
  return (
    request
      ?.lastToolResults()
      .map((message) => message.content)
      .join("\n") ?? ""
  );
}

describe("BuiltinHarness in a real worktree", () => {
  let fixture: AgentFixture;
  afterEach(async () => {
    await fixture.cleanup();
  });

  it("completes a scripted task: files change, checks run, a commit lands on the task branch", async () => {
    const policy = new ScriptedPolicy([
      { toolCalls: [{ name: "list_files", arguments: { path: "src" } }] },
      { toolCalls: [{ name: "read_file", arguments: { path: "src/greet.js" } }] },
      {
        toolCalls: [
          {
            name: "edit_file",
            arguments: { path: "src/greet.js", oldText: '"Hello, "', newText: '"Howdy, "' },
          },
        ],
      },
      {
        toolCalls: [
          { name: "write_file", arguments: { path: "docs/notes.md", content: "greeting changed\n" } },
        ],
      },
      { text: "Running the checks now.", toolCalls: [{ name: "run_checks", arguments: {} }] },
      {
        toolCalls: [
          {
            name: "finish",
            arguments: {
              status: "complete",
              summary: "greet() now says Howdy.",
              filesChanged: ["src/greet.js"],
            },
          },
        ],
      },
    ]);
    fixture = await createAgentFixture({ policy });
    const result = await harnessFor(fixture).run(runInput(fixture));

    fixture.server.assertDone();
    expect(result.outcome).toBe("complete");
    expect(result.turns).toBe(6);
    expect(HandoffSchema.parse(result.handoff)).toEqual(result.handoff);
    expect(result.handoff.filesChanged.sort()).toEqual(["docs/notes.md", "src/greet.js"]);
    expect(result.handoff.concerns).toEqual([
      expect.stringContaining("outside the task's scope (src/): docs/notes.md"),
    ]);
    expect(result.usage.promptTokens).toBeGreaterThan(0);

    const requests = fixture.server.requests;
    expect(toolResultOf(requests[1])).toBe("src/greet.js");
    expect(toolResultOf(requests[2])).toContain('return "Hello, " + name;');
    expect(toolResultOf(requests[5])).toContain("All checks passed.");
    expect(toolResultOf(requests[5])).toContain("1 test passed");
    expect(requests[0]?.tools.map((tool) => tool.name)).toEqual([
      "read_file",
      "write_file",
      "edit_file",
      "list_files",
      "search",
      "run",
      "run_checks",
      "finish",
    ]);

    expect(result.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(await fixture.repo.sha(fixture.branch)).toBe(result.commit);
    expect(await fixture.repo.git(["show", `${fixture.branch}:src/greet.js`])).toContain('"Howdy, "');
    expect(await fixture.repo.git(["log", "-1", "--format=%an <%ae>%n%B", fixture.branch])).toContain(
      `${testIdentity.name} <${testIdentity.email}>\nGreet with Howdy\n\ngreet() now says Howdy.`,
    );

    const starts = eventsOf(fixture.events, "tool-call-start").map((event) => event.tool);
    expect(starts).toEqual(["list_files", "read_file", "edit_file", "write_file", "run_checks", "finish"]);
    const ends = eventsOf(fixture.events, "tool-call-end");
    expect(ends.every((event) => event.ok && event.taskId === "task-1" && event.attempt === 1)).toBe(true);
    expect(eventsOf(fixture.events, "agent-text").map((event) => event.text)).toEqual([
      "Running the checks now.",
    ]);
    expect(eventsOf(fixture.events, "model-call-end")).toHaveLength(6);
  });

  it("shows a failing tool's error to the model, which recovers", async () => {
    const policy = new ScriptedPolicy([
      {
        toolCalls: [
          { name: "edit_file", arguments: { path: "src/greet.js", oldText: "Hi there", newText: "Howdy" } },
        ],
      },
      { toolCalls: [{ name: "read_file", arguments: { path: "../outside.txt" } }] },
      {
        toolCalls: [
          { name: "edit_file", arguments: { path: "src/greet.js", oldText: "Hello", newText: "Howdy" } },
        ],
      },
      { toolCalls: [{ name: "finish", arguments: { status: "complete", summary: "Fixed after a retry." } }] },
    ]);
    fixture = await createAgentFixture({ policy });
    const result = await harnessFor(fixture).run(runInput(fixture));

    fixture.server.assertDone();
    expect(toolResultOf(fixture.server.requests[1])).toContain("oldText was not found in src/greet.js");
    expect(toolResultOf(fixture.server.requests[2])).toMatch(/^Error: /);
    expect(eventsOf(fixture.events, "tool-call-end").map((event) => event.ok)).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(result.outcome).toBe("complete");
    expect(await fixture.repo.git(["show", `${fixture.branch}:src/greet.js`])).toContain('"Howdy, "');
  });

  it("nudges an agent that stops without finish once, then ends with a failed handoff", async () => {
    const policy = new ScriptedPolicy([{ text: "I believe the work is done." }, { text: "Yes, done." }]);
    fixture = await createAgentFixture({ policy });
    const result = await harnessFor(fixture).run(runInput(fixture));

    fixture.server.assertDone();
    expect(fixture.server.requests).toHaveLength(2);
    expect(fixture.server.requests[1]?.lastUserText()).toContain("without calling the finish tool");
    expect(result.outcome).toBe("failed");
    expect(result.handoff.status).toBe("failed");
    expect(result.handoff.summary).toContain("without calling finish");
    expect(result.commit).toBeNull();
  });
});
