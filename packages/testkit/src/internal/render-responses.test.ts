import { describe, expect, it } from "vitest";
import { serverPerTest } from "../__fixtures__/server-per-test.js";
import type { FakeLlmServer } from "../fake-llm-server.js";
import type { FakePolicy } from "../fake-policy.js";
import { readSse } from "./read-sse.js";

const startServer = serverPerTest();

function start(policy: FakePolicy): Promise<FakeLlmServer> {
  return startServer({ policy });
}

/** A request shaped like the ones Codex CLI sends. */
function codexBody(stream: boolean): Record<string, unknown> {
  return {
    model: "codex-fake",
    instructions: "You are a coding agent.",
    input: [
      { type: "message", role: "user", content: [{ type: "input_text", text: "list the files" }] },
      { type: "reasoning", id: "rs_1", summary: [] },
      { type: "function_call", call_id: "call_prev", name: "shell", arguments: '{"command":["ls"]}' },
      { type: "function_call_output", call_id: "call_prev", output: "a.txt\nb.txt" },
    ],
    tools: [
      {
        type: "function",
        name: "shell",
        description: "Runs a command",
        strict: false,
        parameters: { type: "object", properties: { command: { type: "array", items: { type: "string" } } } },
      },
    ],
    tool_choice: "auto",
    parallel_tool_calls: false,
    store: false,
    stream,
  };
}

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer test" },
    body: JSON.stringify(body),
  });
}

const reply = {
  text: "I will read both files now.",
  toolCalls: [{ name: "shell", arguments: { command: ["cat", "a.txt", "b.txt"] } }],
};

describe("responses endpoint", () => {
  it("normalizes a Codex-style request", async () => {
    const fake = await start(() => ({ text: "ok" }));
    await (await post(fake.url, codexBody(false))).json();
    const [request] = fake.requests;
    expect(request?.protocol).toBe("responses");
    expect(request?.messages).toEqual([
      { role: "system", content: "You are a coding agent." },
      { role: "user", content: "list the files" },
      {
        role: "assistant",
        content: "",
        toolCalls: [{ id: "call_prev", name: "shell", arguments: '{"command":["ls"]}' }],
      },
      { role: "tool", content: "a.txt\nb.txt", toolCallId: "call_prev" },
    ]);
    expect(request?.lastToolResults().map((message) => message.content)).toEqual(["a.txt\nb.txt"]);
    expect(request?.tools[0]?.name).toBe("shell");
  });

  it("streams text and a function call as well-formed, ordered events ending in response.completed", async () => {
    const fake = await start(() => reply);
    const response = await post(fake.url, codexBody(true));
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = readSse(await response.text()).map((event) => ({
      name: event.event,
      data: JSON.parse(event.data) as Record<string, unknown> & { type: string },
    }));
    for (const [position, event] of events.entries()) {
      expect(event.data.type).toBe(event.name);
      expect(event.data.sequence_number).toBe(position);
    }
    const names = events
      .map((event) => event.name)
      .filter((name, position, all) => name !== all[position - 1]);
    expect(names).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const text = events
      .filter((event) => event.name === "response.output_text.delta")
      .map((event) => event.data.delta)
      .join("");
    expect(text).toBe(reply.text);
    const argumentDeltas = events.filter((event) => event.name === "response.function_call_arguments.delta");
    expect(argumentDeltas.length).toBeGreaterThan(1);
    expect(JSON.parse(argumentDeltas.map((event) => event.data.delta).join(""))).toEqual(
      reply.toolCalls[0]?.arguments,
    );
    const callDone = events.filter((event) => event.name === "response.output_item.done")[1]?.data.item;
    expect(callDone).toMatchObject({ type: "function_call", status: "completed", name: "shell" });
    expect(callDone).toHaveProperty("call_id", expect.stringMatching(/^call_/));
    const completed = events.at(-1)?.data.response as Record<string, unknown>;
    expect(completed).toMatchObject({ object: "response", status: "completed", model: "codex-fake" });
    expect(completed.output).toHaveLength(2);
    expect(completed.usage).toMatchObject({
      input_tokens: expect.any(Number),
      output_tokens: expect.any(Number),
      total_tokens: expect.any(Number),
    });
  });

  it("answers a plain request with a completed response object", async () => {
    const fake = await start(() => ({ text: "hello", usage: { inputTokens: 10, outputTokens: 2 } }));
    const body = (await (await post(fake.url, { model: "m", input: "hi" })).json()) as Record<
      string,
      unknown
    >;
    expect(body).toMatchObject({
      object: "response",
      status: "completed",
      output: [{ type: "message", role: "assistant", content: [{ type: "output_text", text: "hello" }] }],
      usage: { input_tokens: 10, output_tokens: 2, total_tokens: 12 },
    });
    expect(fake.requests[0]?.lastUserText()).toBe("hi");
  });

  it("ends a response cut by max_output_tokens with response.incomplete", async () => {
    const fake = await start(() => ({ text: "many words ".repeat(50) }));
    const response = await post(fake.url, { model: "m", input: "hi", stream: true, max_output_tokens: 4 });
    const last = readSse(await response.text()).at(-1);
    expect(last?.event).toBe("response.incomplete");
    expect(JSON.parse(last?.data ?? "{}")).toMatchObject({
      response: { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } },
    });
  });

  it("renders faults in the Responses shape", async () => {
    const fake = await start((request) =>
      request.index === 0 ? { fault: "rate-limit", retryAfterSeconds: 3 } : { fault: "malformed-json" },
    );
    const limited = await post(fake.url, { model: "m", input: "hi" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
    expect(await limited.json()).toMatchObject({ error: { code: "rate_limit_exceeded" } });
    const malformed = readSse(await (await post(fake.url, { model: "m", input: "hi", stream: true })).text());
    expect(malformed[0]?.event).toBe("response.created");
    expect(() => JSON.parse(malformed[1]?.data ?? "")).toThrow(SyntaxError);
  });
});
