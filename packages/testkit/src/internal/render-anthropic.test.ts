import { describe, expect, it } from "vitest";
import { serverPerTest } from "../__fixtures__/server-per-test.js";
import type { FakeLlmServer } from "../fake-llm-server.js";
import type { FakePolicy } from "../fake-policy.js";
import { readSse } from "./read-sse.js";

const startServer = serverPerTest();

function start(policy: FakePolicy): Promise<FakeLlmServer> {
  return startServer({ policy });
}

async function post(fake: FakeLlmServer, body: unknown): Promise<Response> {
  return fetch(`${fake.origin}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "test", "anthropic-version": "2023-06-01" },
    body: JSON.stringify(body),
  });
}

function body(stream: boolean): Record<string, unknown> {
  return {
    model: "claude-fake",
    max_tokens: 1024,
    system: [{ type: "text", text: "You edit code." }],
    tools: [{ name: "edit", description: "Edits a file", input_schema: { type: "object" } }],
    messages: [
      { role: "user", content: "fix the bug" },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Reading it." },
          { type: "tool_use", id: "toolu_prev", name: "read", input: { path: "a.ts" } },
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "toolu_prev",
            content: [{ type: "text", text: "const a = 1;" }],
          },
          { type: "text", text: "keep it short" },
        ],
      },
    ],
    stream,
  };
}

const reply = {
  text: "Editing a.ts now.",
  toolCalls: [{ name: "edit", arguments: { path: "a.ts", find: "1", replace: "2" } }],
};

describe("anthropic messages endpoint", () => {
  it("normalizes system, tool_use and tool_result blocks", async () => {
    const fake = await start(() => ({ text: "ok" }));
    await (await post(fake, body(false))).json();
    expect(fake.requests[0]?.protocol).toBe("anthropic");
    expect(fake.requests[0]?.maxOutputTokens).toBe(1024);
    expect(fake.requests[0]?.messages).toEqual([
      { role: "system", content: "You edit code." },
      { role: "user", content: "fix the bug" },
      {
        role: "assistant",
        content: "Reading it.",
        toolCalls: [{ id: "toolu_prev", name: "read", arguments: '{"path":"a.ts"}' }],
      },
      { role: "tool", content: "const a = 1;", toolCallId: "toolu_prev" },
      { role: "user", content: "keep it short" },
    ]);
    expect(fake.requests[0]?.lastToolResults().map((message) => message.toolCallId)).toEqual(["toolu_prev"]);
  });

  it("accepts system entries inside messages, as Claude Code sends them", async () => {
    const fake = await start(() => ({ text: "ok" }));
    const request = {
      model: "claude-test",
      max_tokens: 256,
      messages: [
        { role: "system", content: [{ type: "text", text: "Session context." }] },
        { role: "user", content: "hello" },
      ],
    };
    const response = await post(fake, request);
    expect(response.status).toBe(200);
    expect(fake.requests[0]?.messages).toEqual([
      { role: "system", content: "Session context." },
      { role: "user", content: "hello" },
    ]);
  });

  it("streams message_start, text and tool_use blocks, message_delta and message_stop", async () => {
    const fake = await start(() => reply);
    const response = await post(fake, body(true));
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = readSse(await response.text()).map((event) => ({
      name: event.event,
      data: JSON.parse(event.data) as Record<string, unknown> & { type: string },
    }));
    for (const event of events) expect(event.data.type).toBe(event.name);
    const names = events
      .map((event) => event.name)
      .filter((name, position, all) => name !== all[position - 1]);
    expect(names).toEqual([
      "message_start",
      "ping",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const deltas = events.filter((event) => event.name === "content_block_delta").map((event) => event.data);
    const text = deltas
      .filter((delta) => delta.index === 0)
      .map((delta) => (delta.delta as { text: string }).text);
    expect(text.join("")).toBe(reply.text);
    const json = deltas
      .filter((delta) => delta.index === 1)
      .map((delta) => delta.delta as { type: string; partial_json: string });
    expect(json.length).toBeGreaterThan(1);
    expect(json.every((delta) => delta.type === "input_json_delta")).toBe(true);
    expect(JSON.parse(json.map((delta) => delta.partial_json).join(""))).toEqual(
      reply.toolCalls[0]?.arguments,
    );
    const toolStart = events.filter((event) => event.name === "content_block_start")[1]?.data;
    expect(toolStart).toMatchObject({
      index: 1,
      content_block: { type: "tool_use", name: "edit", input: {} },
    });
    expect(events[0]?.data).toMatchObject({
      message: { role: "assistant", model: "claude-fake", content: [] },
    });
    expect(events.at(-2)?.data).toMatchObject({
      delta: { stop_reason: "tool_use" },
      usage: { output_tokens: expect.any(Number) },
    });
  });

  it("answers a plain request with a message and end_turn", async () => {
    const fake = await start(() => ({
      text: "done",
      usage: { inputTokens: 30, outputTokens: 1, cachedInputTokens: 20 },
    }));
    const message = await (await post(fake, { ...body(false), tools: [] })).json();
    expect(message).toMatchObject({
      type: "message",
      role: "assistant",
      content: [{ type: "text", text: "done" }],
      stop_reason: "end_turn",
      usage: { input_tokens: 10, cache_read_input_tokens: 20, output_tokens: 1 },
    });
  });

  it("returns tool_use blocks with parsed input and stops with tool_use", async () => {
    const fake = await start(() => ({
      toolCalls: [{ name: "edit", arguments: '{"path":"b.ts"}', id: "toolu_x" }],
    }));
    const message = await (await post(fake, body(false))).json();
    expect(message).toMatchObject({
      content: [{ type: "tool_use", id: "toolu_x", name: "edit", input: { path: "b.ts" } }],
      stop_reason: "tool_use",
    });
  });

  it("stops with max_tokens when the reply exceeds max_tokens", async () => {
    const fake = await start(() => ({ text: "x".repeat(100) }));
    const message = await (await post(fake, { ...body(false), max_tokens: 2 })).json();
    expect(message).toMatchObject({ stop_reason: "max_tokens", content: [{ text: "xxxxxxxx" }] });
  });

  it("refuses a body without max_tokens and renders errors in the Anthropic shape", async () => {
    const fake = await start(() => ({ fault: "server-error", status: 503 }));
    const missing = await post(fake, { model: "m", messages: [{ role: "user", content: "hi" }] });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    const overloaded = await post(fake, { ...body(false) });
    expect(overloaded.status).toBe(503);
    expect(await overloaded.json()).toMatchObject({ type: "error", error: { type: "api_error" } });
  });
});
