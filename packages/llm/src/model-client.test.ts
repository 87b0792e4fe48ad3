import { AbortError, type NewEvent } from "@longshot/core";
import { type FakeLlmServer, ScriptedPolicy, startFakeLlm } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { EndpointPool } from "./endpoint-pool.js";
import { ModelClient, oneModelForEveryRole } from "./model-client.js";
import type { ModelDelta } from "./model-result.js";

const models = oneModelForEveryRole("fake-model");

const servers: FakeLlmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(policy: ConstructorParameters<typeof ScriptedPolicy>[0]): Promise<FakeLlmServer> {
  const server = await startFakeLlm({ policy: new ScriptedPolicy(policy), chunkChars: 5 });
  servers.push(server);
  return server;
}

function clientFor(server: FakeLlmServer, events: NewEvent[] = []): ModelClient {
  const pool = new EndpointPool([{ name: "fake", endpoint: server.url, apiKey: "sk-test", weight: 1 }]);
  return new ModelClient({ pool, models, emit: (event) => events.push(event), maxRetries: 2 });
}

const signal = new AbortController().signal;

describe("ModelClient", () => {
  it("assembles streamed tool calls whose arguments arrive in pieces", async () => {
    const server = await serve([
      {
        text: "Reading both files.",
        toolCalls: [
          { name: "read_file", arguments: { path: "src/index.ts", lines: [1, 40] } },
          { name: "list_dir", arguments: { path: "src/internal", recursive: true } },
        ],
      },
    ]);
    const client = clientFor(server);
    const deltas: ModelDelta[] = [];
    const request = {
      messages: [{ role: "user" as const, content: "Look at the sources." }],
      tools: [
        { name: "read_file", description: "Read a file", parameters: { type: "object" } },
        { name: "list_dir", description: "List a directory", parameters: { type: "object" } },
      ],
    };
    for await (const delta of client.stream(request, {
      role: "worker",
      runId: "r1",
      taskId: "t0001",
      signal,
    })) {
      deltas.push(delta);
    }

    const starts = deltas.flatMap((delta) =>
      delta.type === "tool-call-start" ? [[delta.index, delta.name]] : [],
    );
    expect(starts).toEqual([
      [0, "read_file"],
      [1, "list_dir"],
    ]);
    const streamed = ["", ""];
    for (const delta of deltas)
      if (delta.type === "tool-call-delta") streamed[delta.index] += delta.arguments;
    const finish = deltas.at(-1);
    expect(finish?.type).toBe("finish");
    if (finish?.type !== "finish" || !finish.result.ok) throw new Error("expected a completion");
    const completion = finish.result;
    expect(completion.text).toBe("Reading both files.");
    expect(completion.finishReason).toBe("tool_calls");
    expect(completion.toolCalls.map((call) => [call.name, call.input, call.inputError])).toEqual([
      ["read_file", { path: "src/index.ts", lines: [1, 40] }, null],
      ["list_dir", { path: "src/internal", recursive: true }, null],
    ]);
    expect(completion.toolCalls[0]?.id).not.toBe(completion.toolCalls[1]?.id);
    expect(streamed).toEqual(completion.toolCalls.map((call) => call.arguments));
    expect(server.requests[0]?.tools.map((tool) => tool.name)).toEqual(["read_file", "list_dir"]);
    server.assertDone();
  });

  it("reports tool arguments that are not JSON without failing the call", async () => {
    const server = await serve([{ toolCalls: [{ name: "edit", arguments: '{"path": "a.ts", "text": ' }] }]);
    const result = await clientFor(server).complete(
      { messages: [{ role: "user", content: "Edit it." }] },
      { role: "worker", runId: "r1", signal },
    );
    if (!result.ok) throw new Error(`expected a completion, got ${result.kind}`);
    expect(result.toolCalls[0]?.input).toBeUndefined();
    expect(result.toolCalls[0]?.inputError).toMatch(/not valid JSON/);
    expect(result.toolCalls[0]?.arguments).toBe('{"path": "a.ts", "text": ');
  });

  it("sends attribution headers and the conversation, tool results included", async () => {
    const server = await serve([
      { toolCalls: [{ name: "run", arguments: { command: "ls" } }] },
      { text: "Done." },
    ]);
    const client = clientFor(server);
    const options = { role: "worker" as const, runId: "r7", taskId: "t0003", signal };
    const messages = [{ role: "user" as const, content: "List files." }];
    const first = await client.complete({ messages }, options);
    if (!first.ok) throw new Error("expected a completion");
    const call = first.toolCalls[0];
    if (call === undefined) throw new Error("expected a tool call");
    const second = await client.complete(
      {
        messages: [...messages, first.message, { role: "tool", toolCallId: call.id, content: "a.ts\nb.ts" }],
      },
      options,
    );
    expect(second.ok && second.text).toBe("Done.");

    for (const request of server.requests) {
      expect(request.headers["x-longshot-role"]).toBe("worker");
      expect(request.headers["x-longshot-run"]).toBe("r7");
      expect(request.headers["x-longshot-task"]).toBe("t0003");
      expect(request.headers.authorization).toBe("Bearer sk-test");
    }
    const results = server.requests[1]?.lastToolResults() ?? [];
    expect(results.map((message) => [message.toolCallId, message.content])).toEqual([
      [call.id, "a.ts\nb.ts"],
    ]);
    expect(server.requests[1]?.messages[1]?.toolCalls?.[0]?.arguments).toBe('{"command":"ls"}');
    server.assertDone();
  });

  it("emits model-call-start and model-call-end with usage and cost", async () => {
    const server = await serve([
      { text: "Hello.", usage: { inputTokens: 1000, outputTokens: 500, cachedInputTokens: 200 } },
    ]);
    const events: NewEvent[] = [];
    const pool = new EndpointPool([{ name: "fake", endpoint: server.url, apiKey: "", weight: 1 }]);
    const client = new ModelClient({
      pool,
      models: { ...models, judge: "gpt-4.1" },
      emit: (event) => events.push(event),
    });
    const result = await client.complete(
      { messages: [{ role: "user", content: "Hi" }] },
      { role: "judge", runId: "r1", taskId: "t0009", signal },
    );
    if (!result.ok) throw new Error("expected a completion");
    // gpt-4.1: $2 input, $0.5 cached, $8 output per million tokens.
    const cost = (800 * 2 + 200 * 0.5 + 500 * 8) / 1_000_000;
    expect(result.costUsd).toBeCloseTo(cost, 12);
    expect(events.map((event) => event.type)).toEqual(["model-call-start", "model-call-end"]);
    expect(events[1]).toMatchObject({
      type: "model-call-end",
      callId: result.callId,
      role: "judge",
      taskId: "t0009",
      model: "gpt-4.1",
      endpoint: "fake",
      ok: true,
      error: null,
      usage: { promptTokens: 1000, completionTokens: 500, cachedTokens: 200 },
      retries: 0,
    });
    expect((events[1] as { costUsd: number }).costUsd).toBeCloseTo(cost, 12);
  });

  it("sends a compactor call on the worker's model unless compactor has its own, and books it by role", async () => {
    const server = await serve([{ text: "Summary one." }, { text: "Summary two." }]);
    const pool = new EndpointPool([{ name: "fake", endpoint: server.url, apiKey: "", weight: 1 }]);
    const options = { role: "compactor" as const, runId: "r1", taskId: "t0002", signal };
    const request = { messages: [{ role: "user" as const, content: "Summarize." }] };
    const shared = new ModelClient({ pool, models: { ...models, worker: "worker-model" } });
    const own = new ModelClient({
      pool,
      models: { ...models, compactor: "small-model" },
      ledger: shared.ledger,
    });
    await shared.complete(request, options);
    await own.complete(request, options);

    expect(server.requests.map((sent) => [sent.role, sent.model])).toEqual([
      ["compactor", "worker-model"],
      ["compactor", "small-model"],
    ]);
    // No task header on the wire: a proxy or fake model never takes it for one of the task's turns.
    expect(server.requests.map((sent) => sent.headers["x-longshot-task"])).toEqual([undefined, undefined]);
    expect(shared.ledger.role("r1", "compactor").calls).toBe(2);
    expect(shared.ledger.role("r1", "worker").calls).toBe(0);
    // Still the task's spend: its budget sees it.
    expect(shared.ledger.task("r1", "t0002").calls).toBe(2);
    server.assertDone();
  });

  it("stops a call when its signal aborts, and says so in the events", async () => {
    const server = await serve([{ fault: "hang" }]);
    const events: NewEvent[] = [];
    const client = clientFor(server, events);
    const controller = new AbortController();
    const pending = client.complete(
      { messages: [{ role: "user", content: "Take your time." }] },
      { role: "planner", runId: "r1", signal: controller.signal },
    );
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: "model-call-end", ok: false, error: "cancelled" });
  });

  it("frees the endpoint and the budget hold when the reader stops early", async () => {
    const server = await serve([{ text: "a long reply that the reader does not wait for" }]);
    const events: NewEvent[] = [];
    const client = clientFor(server, events);
    for await (const delta of client.stream(
      { messages: [{ role: "user", content: "Go." }] },
      { role: "worker", runId: "r1", taskId: "t1", signal },
    )) {
      if (delta.type === "text") break;
    }
    expect(client.pool.status()[0]?.inFlight).toBe(0);
    expect(client.ledger.reserved("r1")).toEqual({ tokens: 0, usd: 0 });
    expect(client.ledger.reserved("r1", "t1")).toEqual({ tokens: 0, usd: 0 });
    expect(events.at(-1)).toMatchObject({ type: "model-call-end", ok: false, error: "cancelled" });
    expect(client.ledger.run("r1").calls).toBe(1);
  });

  it("does not send anything when the signal is already aborted", async () => {
    const server = await serve([]);
    const controller = new AbortController();
    controller.abort();
    await expect(
      clientFor(server).complete(
        { messages: [{ role: "user", content: "x" }] },
        { role: "worker", runId: "r", signal: controller.signal },
      ),
    ).rejects.toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(0);
  });
});
