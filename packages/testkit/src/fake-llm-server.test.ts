import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { clientOf, serverPerTest } from "./__fixtures__/server-per-test.js";
import { type FakeLlmServer, startFakeLlm } from "./fake-llm-server.js";
import type { FakePolicy } from "./fake-policy.js";

const startServer = serverPerTest();

async function start(
  policy: FakePolicy,
  models?: string[],
): Promise<{ client: OpenAI; server: FakeLlmServer }> {
  const server = await startServer({ policy, ...(models === undefined ? {} : { models }) });
  return { client: clientOf(server), server };
}

const weatherTool = {
  type: "function" as const,
  function: {
    name: "write_file",
    description: "Writes a file",
    parameters: { type: "object", properties: { path: { type: "string" }, content: { type: "string" } } },
  },
};

describe("chat completions", () => {
  it("answers a plain completion with text, stop and usage", async () => {
    const { client, server } = await start(() => ({ text: "Hello from the fake model." }));
    const completion = await client.chat.completions.create({
      model: "gpt-test",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Say hello" },
      ],
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(completion.object).toBe("chat.completion");
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.model).toBe("gpt-test");
    expect(completion.choices[0]?.message.content).toBe("Hello from the fake model.");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.completion_tokens).toBe(Math.ceil("Hello from the fake model.".length / 4));
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
    const [request] = server.requests;
    expect(request?.protocol).toBe("chat");
    expect(request?.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Say hello" },
    ]);
    expect(request?.lastUserText()).toBe("Say hello");
    expect(request?.headers.authorization).toBe("Bearer test");
  });

  it("uses the usage a reply gives", async () => {
    const { client } = await start(() => ({ text: "ok", usage: { inputTokens: 1000, outputTokens: 7 } }));
    const completion = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(completion.usage).toMatchObject({ prompt_tokens: 1000, completion_tokens: 7, total_tokens: 1007 });
  });

  it("streams text in several deltas that join to the reply", async () => {
    const text = "Streaming replies arrive in several small pieces over one connection.";
    const { client } = await start(() => ({ text }));
    const stream = await client.chat.completions.create({
      model: "gpt-test",
      messages: [{ role: "user", content: "stream please" }],
      stream: true,
    });
    const deltas: string[] = [];
    const finishes: (string | null)[] = [];
    for await (const chunk of stream) {
      expect(chunk.object).toBe("chat.completion.chunk");
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finishes.push(choice.finish_reason);
    }
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join("")).toBe(text);
    expect(finishes).toEqual(["stop"]);
  });

  it("streams a tool call whose arguments arrive in several deltas", async () => {
    const args = { path: "src/greeting.ts", content: "export const greeting = 'hello world';\n" };
    const { client, server } = await start((request) => {
      expect(request.tools.map((tool) => tool.name)).toEqual(["write_file"]);
      return { toolCalls: [{ name: "write_file", arguments: args }] };
    });
    const stream = await client.chat.completions.create({
      model: "gpt-test",
      messages: [{ role: "user", content: "write the file" }],
      tools: [weatherTool],
      stream: true,
    });
    let name = "";
    let id = "";
    const pieces: string[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      for (const call of choice?.delta.tool_calls ?? []) {
        expect(call.index).toBe(0);
        if (call.id) id = call.id;
        if (call.function?.name) name = call.function.name;
        if (call.function?.arguments) pieces.push(call.function.arguments);
      }
      finish = choice?.finish_reason ?? finish;
    }
    expect(name).toBe("write_file");
    expect(id).toMatch(/^call_/);
    expect(pieces.length).toBeGreaterThan(2);
    expect(JSON.parse(pieces.join(""))).toEqual(args);
    expect(finish).toBe("tool_calls");
    expect(server.failures).toEqual([]);
  });

  it("returns tool calls in a plain completion and records the tool results sent back", async () => {
    const { client, server } = await start((request) =>
      request.lastToolResults().length > 0
        ? { text: `read: ${request.lastToolResults()[0]?.content}` }
        : { toolCalls: [{ name: "read_file", arguments: '{"path":"a.txt"}', id: "call_fixed" }] },
    );
    const first = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "read a.txt" }],
    });
    const message = first.choices[0]?.message;
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");
    expect(message?.content).toBeNull();
    expect(message?.tool_calls).toEqual([
      { id: "call_fixed", type: "function", function: { name: "read_file", arguments: '{"path":"a.txt"}' } },
    ]);
    const second = await client.chat.completions.create({
      model: "m",
      messages: [
        { role: "user", content: "read a.txt" },
        { role: "assistant", content: null, tool_calls: message?.tool_calls ?? [] },
        { role: "tool", tool_call_id: "call_fixed", content: "file body" },
      ],
    });
    expect(second.choices[0]?.message.content).toBe("read: file body");
    expect(server.requests[1]?.messages[1]).toEqual({
      role: "assistant",
      content: "",
      toolCalls: [{ id: "call_fixed", name: "read_file", arguments: '{"path":"a.txt"}' }],
    });
    expect(server.requests[1]?.messages[2]).toEqual({
      role: "tool",
      content: "file body",
      toolCallId: "call_fixed",
    });
  });

  it("sends usage in a final chunk with no choices when include_usage is set", async () => {
    const { client } = await start(() => ({ text: "twelve chars", usage: { inputTokens: 40 } }));
    const stream = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 3, total_tokens: 43 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it("sends no usage chunk when include_usage is not set", async () => {
    const { client } = await start(() => ({ text: "hello" }));
    const stream = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.choices.length === 1 && chunk.usage === undefined)).toBe(true);
  });

  it("truncates a reply longer than max_tokens and finishes with length", async () => {
    const { client } = await start(() => ({ text: "word ".repeat(100) }));
    const completion = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "long please" }],
      max_tokens: 5,
    });
    expect(completion.choices[0]?.finish_reason).toBe("length");
    expect(completion.choices[0]?.message.content).toHaveLength(20);
    expect(completion.usage?.completion_tokens).toBe(5);
  });

  it("reports truncated replies as length when streamed", async () => {
    const { client } = await start(() => ({ text: "partial", truncated: true }));
    const stream = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const finishes = [];
    for await (const chunk of stream)
      if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
    expect(finishes).toEqual(["length"]);
  });
});

describe("models", () => {
  it("lists the models the server was told about", async () => {
    const { client } = await start(() => ({ text: "" }), ["planner-model", "worker-model"]);
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(["planner-model", "worker-model"]);
    const one = await client.models.retrieve("worker-model");
    expect(one).toMatchObject({ id: "worker-model", object: "model" });
    await expect(client.models.retrieve("missing")).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe("server options", () => {
  it("closes when its signal aborts, and close stays safe to call again", async () => {
    const controller = new AbortController();
    const fake = await startFakeLlm({ policy: () => ({ text: "hi" }), signal: controller.signal });
    expect((await fetch(`${fake.url}/models`)).status).toBe(200);
    controller.abort();
    await fake.close();
    await expect(fetch(`${fake.url}/models`)).rejects.toThrow();
  });

  it("streams text in deltas of at most chunkChars characters", async () => {
    const client = clientOf(await startServer({ policy: () => ({ text: "abcdefghij" }), chunkChars: 4 }));
    const stream = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const deltas: string[] = [];
    for await (const chunk of stream)
      if (chunk.choices[0]?.delta.content) deltas.push(chunk.choices[0].delta.content);
    expect(deltas).toEqual(["abcd", "efgh", "ij"]);
  });
});

describe("bad requests", () => {
  it("answers 400 to an invalid body and 404 to an unknown path, recording both", async () => {
    const { server } = await start(() => ({ text: "never" }));
    const invalid = await fetch(`${server.url}/chat/completions`, { method: "POST", body: '{"model": "m"}' });
    expect(invalid.status).toBe(400);
    const notJson = await fetch(`${server.url}/chat/completions`, { method: "POST", body: "{oops" });
    expect(notJson.status).toBe(400);
    // The real API needs a model; the model gateway forgives its absence, the fake does not.
    const unnamed = await fetch(`${server.url}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    });
    expect(unnamed.status).toBe(400);
    const unknown = await fetch(`${server.url}/embeddings`, { method: "POST", body: "{}" });
    expect(unknown.status).toBe(404);
    expect(server.failures).toHaveLength(4);
    expect(server.failures[2]).toContain("model");
    expect(server.failures[3]).toContain("/v1/embeddings");
    expect(server.requests).toHaveLength(0);
    expect(() => server.assertDone()).toThrow(/not valid JSON/);
  });

  it("records a policy that throws as a failure and answers 500", async () => {
    const { client, server } = await start(() => {
      throw new Error("policy bug");
    });
    const call = client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] });
    await expect(call).rejects.toMatchObject({ status: 500 });
    expect(server.failures[0]).toMatch(/policy threw on request #0.*policy bug/);
  });

  it("records an invalid reply from a policy as a failure", async () => {
    const { client, server } = await start(() => ({ txet: "typo" }) as unknown as { text: string });
    const call = client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] });
    await expect(call).rejects.toMatchObject({ status: 500 });
    expect(server.failures[0]).toMatch(/policy returned an invalid reply for request #0/);
  });
});
