import { fileURLToPath } from "node:url";
import { type Clock, ManualClock, type NewEvent, systemClock } from "@longshot/core";
import { type FakeRequest, ScriptedPolicy, testIdentity } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { type AgentFixture, createAgentFixture, eventsOf, testLimits } from "./__fixtures__/agent-fixture.js";
import { runAgentLoop } from "./agent-loop.js";
import type { HarnessLimits } from "./harness.js";
import { McpToolSet } from "./mcp/mcp-tool-set.js";
import type { AgentTool } from "./tools/agent-tool.js";
import { builtinTools } from "./tools/builtin-tools.js";

function loopOptions(
  fixture: AgentFixture,
  overrides: {
    clock?: Clock;
    limits?: HarnessLimits;
    contextTokens?: number;
    tools?: AgentTool[];
    emit?: (event: NewEvent) => void;
    signal?: AbortSignal;
  } = {},
) {
  return {
    task: fixture.task,
    attempt: 1,
    sandbox: fixture.sandbox,
    model: "fake-model",
    limits: overrides.limits ?? testLimits,
    signal: overrides.signal ?? new AbortController().signal,
    emit: overrides.emit ?? fixture.emit,
    languageModel: fixture.model,
    tools: overrides.tools ?? builtinTools([]),
    clock: overrides.clock ?? systemClock,
    contextTokens: overrides.contextTokens ?? 128_000,
    author: testIdentity,
  };
}

const finish = { toolCalls: [{ name: "finish", arguments: { status: "complete", summary: "Done." } }] };

describe("runAgentLoop limits", () => {
  let fixture: AgentFixture;
  afterEach(async () => {
    await fixture.cleanup();
  });

  it("ends an attempt whose tool makes no progress for the stuck timeout as stuck, killing the command", async () => {
    const clock = new ManualClock(1_000_000);
    const limits = { ...testLimits, stuckTimeoutMs: 30_000 };
    fixture = await createAgentFixture({
      policy: new ScriptedPolicy([{ toolCalls: [{ name: "run", arguments: { command: "sleep 120" } }] }]),
    });
    const emit = (event: NewEvent): void => {
      fixture.emit(event);
      // The command is running: let the stuck timeout pass on the injected clock.
      if (event.type === "tool-call-start") setTimeout(() => clock.advance(30_001), 200);
    };
    const result = await runAgentLoop(loopOptions(fixture, { clock, limits, emit }));

    expect(result.outcome).toBe("stuck");
    expect(result.handoff.status).toBe("failed");
    expect(result.reason).toContain("no progress for 30 seconds");
    expect(eventsOf(fixture.events, "tool-call-end")).toHaveLength(0);
    fixture.server.assertDone();
  });

  it("stops at the turn limit with a failed handoff", async () => {
    const read = { toolCalls: [{ name: "list_files", arguments: {} }] };
    fixture = await createAgentFixture({ policy: new ScriptedPolicy([read, read]) });
    const result = await runAgentLoop(loopOptions(fixture, { limits: { ...testLimits, maxTurns: 2 } }));
    expect(result.outcome).toBe("failed");
    expect(result.reason).toContain("all 2 turns");
    fixture.server.assertDone();
  });

  it("ends as cancelled when the caller aborts, without committing", async () => {
    const controller = new AbortController();
    fixture = await createAgentFixture({
      policy: new ScriptedPolicy([
        { toolCalls: [{ name: "write_file", arguments: { path: "src/x.js", content: "x" } }] },
        { fault: "hang" },
      ]),
    });
    const emit = (event: NewEvent): void => {
      fixture.emit(event);
      if (event.type === "tool-call-end") controller.abort();
    };
    const result = await runAgentLoop(loopOptions(fixture, { emit, signal: controller.signal }));
    expect(result.outcome).toBe("cancelled");
    expect(result.commit).toBeNull();
  });
});

describe("runAgentLoop when the work cannot be committed", () => {
  let fixture: AgentFixture;
  afterEach(async () => {
    await fixture.cleanup();
  });

  it("fails the attempt (its files are not on the task branch) instead of handing off work that cannot land", async () => {
    fixture = await createAgentFixture({
      policy: new ScriptedPolicy([
        {
          toolCalls: [
            { name: "write_file", arguments: { path: "src/x.js", content: "export const x = 1;\n" } },
          ],
        },
        finish,
      ]),
    });
    // The disk fills up between the agent's last write and the commit, as a swarm's tmpfs did.
    const full = new Error(
      "git update-ref failed: cannot lock ref 'HEAD': Unable to create 'HEAD.lock': No space left on device",
    );
    const sandbox = new Proxy(fixture.sandbox, {
      get(target, property) {
        if (property === "commit") return async () => Promise.reject(full);
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const result = await runAgentLoop({ ...loopOptions(fixture), sandbox });
    expect(result.outcome).toBe("failed");
    expect(result.commit).toBeNull();
    expect(result.reason).toBe(`The changes could not be committed: ${full.message}.`);
    expect(result.handoff.status).toBe("failed");
    expect(result.handoff.filesChanged).toContain("src/x.js");
    fixture.server.assertDone();
  });
});

describe("runAgentLoop context compaction", () => {
  let fixture: AgentFixture;
  afterEach(async () => {
    await fixture.cleanup();
  });

  it("folds older turns into a summary written by a compactor call, attributed to the task", async () => {
    const bigFile = (name: string): string =>
      Array.from({ length: 300 }, (_, index) => `${name} line ${index}: ${"lorem ipsum ".repeat(3)}`).join(
        "\n",
      );
    const worker = (request: FakeRequest): boolean => request.tools.length > 0;
    const read = (id: string, path: string) => ({
      match: worker,
      reply: { toolCalls: [{ id, name: "read_file", arguments: { path } }] },
    });
    const policy = new ScriptedPolicy([
      read("read-1", "big1.txt"),
      read("read-2", "big2.txt"),
      read("read-3", "big3.txt"),
      {
        label: "summary",
        role: "compactor",
        reply: { text: "- Read big1.txt to big3.txt; they are lists of numbered lorem lines." },
      },
      { match: worker, reply: finish },
    ]);
    const files = { "big1.txt": bigFile("one"), "big2.txt": bigFile("two"), "big3.txt": bigFile("three") };
    fixture = await createAgentFixture({ policy, files });
    const tools = builtinTools([]);
    const toolTokens = Math.ceil(
      JSON.stringify(tools.map(({ name, description, parameters }) => ({ name, description, parameters })))
        .length / 4,
    );
    const result = await runAgentLoop(loopOptions(fixture, { tools, contextTokens: toolTokens + 12_000 }));

    fixture.server.assertDone();
    expect(result.outcome).toBe("complete");
    const requests = fixture.server.requests;
    const summaryRequest = requests.find((request) => request.tools.length === 0);
    expect(summaryRequest?.messages[0]?.content).toContain("Summarize the transcript");
    expect(summaryRequest?.role).toBe("compactor");
    expect(summaryRequest?.lastUserText()).toContain("[tool call read_file]");
    // Every other call is one of the task's turns.
    expect(requests.filter((request) => request.role === "worker")).toHaveLength(4);
    const after = requests.at(-1);
    const texts = after?.messages.map((message) => message.content).join("\n") ?? "";
    expect(texts).toContain("Read big1.txt to big3.txt");
    expect(after?.messages.some((message) => message.toolCallId === "read-1")).toBe(false);
    // The turn just taken is never folded: its read is there verbatim.
    expect(after?.lastToolResults()[0]?.content).toBe(files["big3.txt"]);
    expect(after?.messages[1]?.content).toContain("# Task: Greet with Howdy");
    const logs = eventsOf(fixture.events, "log").map((event) => event.message);
    expect(logs).toEqual([
      expect.stringMatching(/^Compacted \d+ older messages .* model-written summary\.$/),
    ]);
    // The ledger and the event log tell the compaction call from the task's turns.
    const ledger = fixture.model.ledger;
    expect(ledger.role("run-1", "compactor").calls).toBe(1);
    expect(ledger.role("run-1", "worker").calls).toBe(4);
    expect(ledger.task("run-1", "task-1").calls).toBe(5);
    const ends = eventsOf(fixture.events, "model-call-end");
    expect(ends.map((event) => event.role)).toEqual(["worker", "worker", "worker", "compactor", "worker"]);
  });
});

describe("runAgentLoop with MCP tools", () => {
  let fixture: AgentFixture;
  let mcp: McpToolSet;
  afterEach(async () => {
    await mcp.close();
    await fixture.cleanup();
  });

  it("calls a tool served by a real MCP server process and shows the model its result", async () => {
    const server = fileURLToPath(new URL("./__fixtures__/mcp-server.mjs", import.meta.url));
    mcp = await McpToolSet.connect({
      servers: [{ name: "calc", command: process.execPath, args: [server] }],
      signal: new AbortController().signal,
    });
    const policy = new ScriptedPolicy([
      { toolCalls: [{ name: "calc__add", arguments: { a: 20, b: 22 } }] },
      { toolCalls: [{ name: "calc__add", arguments: { a: "x" } }] },
      finish,
    ]);
    fixture = await createAgentFixture({ policy });
    const result = await runAgentLoop(loopOptions(fixture, { tools: [...builtinTools([]), ...mcp.tools] }));

    fixture.server.assertDone();
    expect(result.outcome).toBe("complete");
    const requests = fixture.server.requests;
    expect(requests[0]?.tools.map((tool) => tool.name)).toContain("calc__add");
    expect(requests[1]?.lastToolResults()[0]?.content).toBe("sum=42");
    expect(requests[2]?.lastToolResults()[0]?.content).toMatch(/^Invalid arguments/);
    expect(eventsOf(fixture.events, "tool-call-end").map((event) => [event.tool, event.ok])).toEqual([
      ["calc__add", true],
      ["calc__add", false],
      ["finish", true],
    ]);
  });
});
