import { describe, expect, it } from "vitest";
import type { FakeToolCall } from "../fake-reply.js";
import { createFakeRequest, type FakeMessage, type FakeMessageToolCall } from "../fake-request.js";
import { sampleModules } from "./sample-library.js";
import { indexHeader } from "./sample-repo.js";
import { swarmPolicy } from "./swarm-policy.js";

const [module] = sampleModules;

interface Played {
  /** The tools called, turn by turn (`read <path>` for reads). */
  readonly turns: string[][];
  /** What the task wrote, by path. */
  readonly written: Map<string, string>;
}

/**
 * Plays the first module's task to its `finish`; `answer` gives each tool call's result (the
 * agent's side), `ok` by default.
 */
function playModuleTask(
  options: {
    readonly exploreTurns?: number;
    readonly sharedIndexEvery?: number;
    readonly answer?: (call: FakeMessageToolCall, earlier: readonly FakeMessage[]) => string;
  } = {},
): Played {
  const policy = swarmPolicy({
    modules: sampleModules,
    sharedIndexEvery: options.sharedIndexEvery ?? 0,
    ...(options.exploreTurns === undefined ? {} : { exploreTurns: options.exploreTurns }),
  });
  const messages: FakeMessage[] = [{ role: "user", content: `Implement it [[module:${module!.name}]]` }];
  const played: Played = { turns: [], written: new Map() };
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
    const args = (call: FakeToolCall) => (typeof call.arguments === "string" ? {} : call.arguments);
    played.turns.push(
      replied.map((call) => (call.name === "read_file" ? `read ${String(args(call).path)}` : call.name)),
    );
    for (const call of replied) {
      if (call.name === "write_file") played.written.set(String(args(call).path), String(args(call).content));
    }
    if (replied.some((call) => call.name === "finish")) return played;
    const toolCalls = replied.map((call, index) => ({
      id: `call-${turn}-${index}`,
      name: call.name,
      arguments: JSON.stringify(call.arguments),
    }));
    messages.push({ role: "assistant", content: "", toolCalls });
    for (const call of toolCalls) {
      messages.push({ role: "tool", content: options.answer?.(call, messages) ?? "ok", toolCallId: call.id });
    }
  }
  throw new Error("the worker never finished");
}

describe("the swarm policy's module workers", () => {
  it("write and finish at once by default", () => {
    expect(playModuleTask().turns).toEqual([["write_file", "write_file"], ["finish"]]);
  });

  it("read the repository's small files for exploreTurns turns first, as a real agent explores", () => {
    expect(playModuleTask({ exploreTurns: 5 }).turns).toEqual([
      ["read README.md"],
      ["read package.json"],
      ["read scripts/build.mjs"],
      ["read src/index.ts"],
      ["read README.md"],
      ["write_file", "write_file"],
      ["finish"],
    ]);
  });

  it("follow the agent's pointer to an earlier identical read instead of writing the pointer into the file", () => {
    const reads = new Map<string, string>();
    const { written } = playModuleTask({
      exploreTurns: 4,
      sharedIndexEvery: 4,
      answer: (call) => {
        if (call.name !== "read_file") return "ok";
        const earlier = reads.get(call.arguments);
        if (earlier !== undefined) {
          return `Unchanged: your earlier read_file call ${earlier}, with the same arguments, gave exactly this result, and it is still above in this conversation; use it from there.`;
        }
        reads.set(call.arguments, call.id);
        return JSON.parse(call.arguments).path === "src/index.ts" ? indexHeader : "text";
      },
    });
    const index = written.get("src/index.ts") ?? "";
    expect(index).not.toContain("Unchanged");
    expect(index).toContain(`export const registry: readonly string[] = ["${module!.name}"];`);
    expect(index).toContain(`export { ${module!.name} } from "./${module!.name}.ts";`);
  });
});
