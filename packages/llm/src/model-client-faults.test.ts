import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ManualClock, type NewEvent } from "@longshot/core";
import { type FakeLlmServer, type FakePolicy, ScriptedPolicy, startFakeLlm } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { EndpointPool, type EndpointPoolOptions } from "./endpoint-pool.js";
import { ModelClient, type ModelClientOptions, oneModelForEveryRole } from "./model-client.js";
import type { CompletionResult, ModelDelta } from "./model-result.js";

const models = oneModelForEveryRole("fake-model");
const signal = new AbortController().signal;
const ask = { messages: [{ role: "user" as const, content: "Say something." }] };
const asWorker = { role: "worker" as const, runId: "r1", taskId: "t0001", signal };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serve(policy: FakePolicy): Promise<FakeLlmServer> {
  const server = await startFakeLlm({ policy });
  closers.push(() => server.close());
  return server;
}

function client(
  endpoints: { name: string; url: string; maxConcurrency?: number }[],
  options: Partial<ModelClientOptions> = {},
  poolOptions: EndpointPoolOptions = {},
): ModelClient {
  const pool = new EndpointPool(
    endpoints.map(({ name, url, maxConcurrency }) => ({
      name,
      endpoint: url,
      apiKey: "",
      weight: 1,
      ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
    })),
    { random: () => 0, ...poolOptions },
  );
  return new ModelClient({ pool, models, random: () => 0, ...options });
}

async function collect(stream: AsyncIterable<ModelDelta>): Promise<ModelDelta[]> {
  const deltas: ModelDelta[] = [];
  for await (const delta of stream) deltas.push(delta);
  return deltas;
}

function expectOk(result: CompletionResult): asserts result is Extract<CompletionResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected a completion, got ${JSON.stringify(result)}`);
}

/** A plain HTTP server that answers every request with one status and body. */
async function rawServer(
  handler: (body: Record<string, unknown>) => { status: number; body: string },
): Promise<string> {
  const server: Server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    request.on("end", () => {
      const reply = handler(JSON.parse(text) as Record<string, unknown>);
      response.writeHead(reply.status, { "content-type": "application/json" });
      response.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

describe("ModelClient under faults", () => {
  it("fails over to another endpoint when one answers 500", async () => {
    const broken = await serve(() => ({ fault: "server-error", status: 500 }));
    const healthy = await serve(() => ({ text: "fine" }));
    const model = client([
      { name: "broken", url: broken.url },
      { name: "healthy", url: healthy.url },
    ]);
    const results = await Promise.all(Array.from({ length: 6 }, () => model.complete(ask, asWorker)));
    for (const result of results) {
      expectOk(result);
      expect(result.text).toBe("fine");
      expect(result.endpoint).toBe("healthy");
    }
    expect(broken.requests.length).toBeGreaterThan(0);
    expect(results.some((result) => result.ok && result.retries === 1)).toBe(true);
  });

  it("fails over when an endpoint refuses connections", async () => {
    const healthy = await serve(() => ({ text: "fine" }));
    const model = client([
      { name: "gone", url: "http://127.0.0.1:9/v1" },
      { name: "healthy", url: healthy.url },
    ]);
    const results = await Promise.all(Array.from({ length: 4 }, () => model.complete(ask, asWorker)));
    expect(results.map((result) => result.ok && result.endpoint)).toEqual(Array(4).fill("healthy"));
  });

  it("waits out a 429 storm as the server asks, and one 429 pauses every caller of the endpoint", async () => {
    let resetAt: number | undefined;
    const server = await serve((request) => {
      resetAt ??= request.receivedAt + 1000;
      return request.receivedAt < resetAt ? { fault: "rate-limit", retryAfterSeconds: 1 } : { text: "ok" };
    });
    const model = client([{ name: "limited", url: server.url, maxConcurrency: 4 }]);
    const results = await Promise.all(Array.from({ length: 20 }, () => model.complete(ask, asWorker)));

    expect(results.filter((result) => result.ok)).toHaveLength(20);
    const early = server.requests.filter((request) => request.receivedAt < (resetAt ?? 0));
    // Only the four calls already in flight met the limit; the other sixteen waited for the reset.
    expect(early).toHaveLength(4);
    expect(server.requests).toHaveLength(24);
  });

  it("aborts and retries a stream that stalls longer than the idle timeout", async () => {
    const server = await serve(new ScriptedPolicy([{ fault: "hang" }, { text: "second time lucky" }]));
    const model = client([{ name: "fake", url: server.url }], { streamIdleTimeoutMs: 200 });
    const deltas = await collect(model.stream(ask, asWorker));
    const retry = deltas.find((delta) => delta.type === "retry");
    expect(retry).toMatchObject({ type: "retry", attempt: 1, endpoint: "fake" });
    expect(retry?.type === "retry" && retry.reason).toMatch(/silent/);
    const finish = deltas.at(-1);
    expect(finish?.type === "finish" && finish.result.ok && finish.result.text).toBe("second time lucky");
    expect(server.requests).toHaveLength(2);
    server.assertDone();
  });

  it("retries a stream cut short, telling the reader to drop the partial text", async () => {
    const server = await serve(
      new ScriptedPolicy([
        { fault: "cut", afterChunks: 3, reply: { text: "partial partial partial partial" } },
        { text: "whole" },
      ]),
    );
    const deltas = await collect(client([{ name: "fake", url: server.url }]).stream(ask, asWorker));
    const kinds = deltas.map((delta) => delta.type);
    expect(kinds.indexOf("text")).toBeLessThan(kinds.indexOf("retry"));
    const finish = deltas.at(-1);
    expect(finish?.type === "finish" && finish.result.ok && finish.result.text).toBe("whole");
    server.assertDone();
  });

  it("retries a stream that carries malformed JSON", async () => {
    const server = await serve(new ScriptedPolicy([{ fault: "malformed-json" }, { text: "clean" }]));
    const result = await client([{ name: "fake", url: server.url }]).complete(ask, asWorker);
    expect(result).toMatchObject({ ok: true, text: "clean", retries: 1 });
    server.assertDone();
  });

  it("gives up after the allowed retries with a retryable failure", async () => {
    const server = await serve(() => ({ fault: "server-error", status: 503 }));
    const result = await client([{ name: "fake", url: server.url }], { maxRetries: 2 }).complete(
      ask,
      asWorker,
    );
    expect(result).toMatchObject({ ok: false, kind: "failed", retryable: true, status: 503, retries: 2 });
    expect(server.requests).toHaveLength(3);
  });

  it("announces every retry as an event naming the endpoint, the status and the wait", async () => {
    const server = await serve(
      new ScriptedPolicy([
        { fault: "server-error", status: 503 },
        { fault: "rate-limit", retryAfterSeconds: 1 },
        { text: "finally" },
      ]),
    );
    const events: NewEvent[] = [];
    const model = client([{ name: "flaky", url: server.url }], { emit: (event) => events.push(event) });
    // The 503 backs off (random 0: half of 500 ms); the 429 waits the server's Retry-After.
    expect(await model.complete(ask, asWorker)).toMatchObject({ ok: true, text: "finally", retries: 2 });
    const retries = events.filter((event) => event.type === "model-call-retry");
    expect(retries).toEqual([
      expect.objectContaining({ endpoint: "flaky", attempt: 1, status: 503, delayMs: 250, taskId: "t0001" }),
      expect.objectContaining({ endpoint: "flaky", attempt: 2, status: 429, delayMs: 1_000, role: "worker" }),
    ]);
    const kinds = events.map((event) => event.type);
    expect(kinds.indexOf("model-call-start")).toBeLessThan(kinds.indexOf("model-call-retry"));
    expect(kinds.lastIndexOf("model-call-retry")).toBeLessThan(kinds.indexOf("model-call-end"));
  });

  it("does not retry a request the server rejects as invalid", async () => {
    let requests = 0;
    const url = await rawServer(() => {
      requests += 1;
      return { status: 400, body: JSON.stringify({ error: { message: "messages[0].content is too long" } }) };
    });
    const result = await client([{ name: "strict", url }]).complete(ask, asWorker);
    expect(result).toMatchObject({ ok: false, kind: "failed", retryable: false, status: 400, retries: 0 });
    expect(requests).toBe(1);
  });

  it("switches to max_completion_tokens when an endpoint refuses max_tokens", async () => {
    const bodies: Record<string, unknown>[] = [];
    const url = await rawServer((body) => {
      bodies.push(body);
      if ("max_tokens" in body) {
        const message =
          "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.";
        return { status: 400, body: JSON.stringify({ error: { message } }) };
      }
      const chunk = {
        id: "c",
        object: "chat.completion.chunk",
        created: 0,
        model: "m",
        choices: [{ index: 0, delta: { content: "hi" }, finish_reason: "stop" }],
      };
      return { status: 200, body: `data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n` };
    });
    const result = await client([{ name: "new-api", url }]).complete({ ...ask, maxTokens: 77 }, asWorker);
    expectOk(result);
    expect(result.retries).toBe(0);
    expect(bodies.map((body) => [body.max_tokens, body.max_completion_tokens])).toEqual([
      [77, undefined],
      [undefined, 77],
    ]);
  });

  it("takes a failing endpoint out, then lets one trial call back in after the cool-down", async () => {
    const clock = new ManualClock(1_000_000);
    let flaky = true;
    const a = await serve(() => (flaky ? { fault: "server-error", status: 502 } : { text: "from a" }));
    const b = await serve(() => ({ text: "from b" }));
    const model = client(
      [
        { name: "a", url: a.url },
        { name: "b", url: b.url },
      ],
      { clock },
      { clock, failureThreshold: 2, cooldownMs: 10_000 },
    );
    const circuitOf = (name: string) =>
      model.pool.status().find((endpoint) => endpoint.name === name)?.circuit;

    for (let call = 0; call < 10 && a.requests.length < 2; call++)
      expectOk(await model.complete(ask, asWorker));
    expect(a.requests).toHaveLength(2);
    expect(circuitOf("a")).toBe("open");
    for (let call = 0; call < 5; call++)
      expect(await model.complete(ask, asWorker)).toMatchObject({ endpoint: "b" });
    expect(a.requests).toHaveLength(2);

    // The trial fails: out again, for twice as long.
    clock.advance(10_000);
    expect(circuitOf("a")).toBe("half-open");
    for (let call = 0; call < 4 && a.requests.length < 3; call++)
      expectOk(await model.complete(ask, asWorker));
    expect(a.requests).toHaveLength(3);
    expect(circuitOf("a")).toBe("open");
    clock.advance(10_000);
    expect(circuitOf("a")).toBe("open");

    // The endpoint recovers: the next trial closes the circuit and traffic returns.
    flaky = false;
    clock.advance(10_000);
    const served: string[] = [];
    for (let call = 0; call < 6; call++) {
      const result = await model.complete(ask, asWorker);
      expectOk(result);
      served.push(result.endpoint);
    }
    expect(circuitOf("a")).toBe("closed");
    expect(served.filter((name) => name === "a").length).toBeGreaterThanOrEqual(2);
  });
});
