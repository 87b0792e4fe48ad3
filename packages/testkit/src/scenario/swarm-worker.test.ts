import { describe, expect, it } from "vitest";
import type { FakeToolCall } from "../fake-reply.js";
import { createFakeRequest, type FakeMessage } from "../fake-request.js";
import { sampleModules } from "./sample-library.js";
import { swarmPolicy } from "./swarm-policy.js";

const [module] = sampleModules;

/** Plays one module task's worker to its `finish`, answering every tool call with `ok`; returns the tools called, turn by turn. */
function playModuleTask(exploreTurns?: number): string[][] {
  const policy = swarmPolicy({
    modules: sampleModules,
    sharedIndexEvery: 0,
    ...(exploreTurns === undefined ? {} : { exploreTurns }),
  });
  const messages: FakeMessage[] = [{ role: "user", content: `Implement it [[module:${module!.name}]]` }];
  const turns: string[][] = [];
  for (let turn = 0; turn < 20; turn++) {
    const reply = policy.reply(
      createFakeRequest({
        index: turn,
        protocol: "chat",
        path: "/v1/chat/completions",
        model: "fake-model",
        stream: false,
        messages,
        tools: [],
        headers: {},
        role: "worker",
        maxOutputTokens: undefined,
        body: null,
        receivedAt: 0,
      }),
    );
    const replied: readonly FakeToolCall[] = "toolCalls" in reply ? reply.toolCalls : [];
    const calls = replied.map((call) =>
      call.name === "read_file" && typeof call.arguments !== "string"
        ? `read ${String(call.arguments.path)}`
        : call.name,
    );
    turns.push(calls);
    if (calls.includes("finish")) return turns;
    const toolCalls = replied.map((call, index) => ({
      id: `call-${turn}-${index}`,
      name: call.name,
      arguments: JSON.stringify(call.arguments),
    }));
    messages.push({ role: "assistant", content: "", toolCalls });
    for (const call of toolCalls) messages.push({ role: "tool", content: "ok", toolCallId: call.id });
  }
  throw new Error("the worker never finished");
}

describe("the swarm policy's module workers", () => {
  it("write and finish at once by default", () => {
    expect(playModuleTask()).toEqual([["write_file", "write_file"], ["finish"]]);
  });

  it("read the repository's small files for exploreTurns turns first, as a real agent explores", () => {
    expect(playModuleTask(5)).toEqual([
      ["read README.md"],
      ["read package.json"],
      ["read scripts/build.mjs"],
      ["read src/index.ts"],
      ["read README.md"],
      ["write_file", "write_file"],
      ["finish"],
    ]);
  });
});
