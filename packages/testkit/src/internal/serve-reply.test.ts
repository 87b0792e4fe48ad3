import { spawn } from "node:child_process";
import { once } from "node:events";
import { ManualClock } from "@longshot/core";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { clientOf, serverPerTest } from "../__fixtures__/server-per-test.js";
import type { FakeLlmOptions, FakeLlmServer } from "../fake-llm-server.js";
import { ScriptedPolicy } from "../scripted-policy.js";

const startServer = serverPerTest();

async function start(
  options: FakeLlmOptions,
  maxRetries = 0,
): Promise<{ client: OpenAI; server: FakeLlmServer }> {
  const server = await startServer(options);
  return { client: clientOf(server, maxRetries, true), server };
}

const hello = { model: "m", messages: [{ role: "user" as const, content: "hello" }] };

async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 500 && !condition(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(condition()).toBe(true);
}

describe("rate-limit fault", () => {
  it("answers 429 with Retry-After and reset headers, which the SDK surfaces as RateLimitError", async () => {
    const { client } = await start({
      policy: () => ({ fault: "rate-limit", retryAfterSeconds: 7, headers: { "x-extra": "yes" } }),
    });
    const error = await client.chat.completions.create(hello).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.headers.get("retry-after")).toBe("7");
    expect(rateLimit.headers.get("x-ratelimit-reset-requests")).toBe("7s");
    expect(rateLimit.headers.get("x-ratelimit-reset-tokens")).toBe("7s");
    expect(rateLimit.headers.get("x-extra")).toBe("yes");
    expect(rateLimit.message).toContain("Rate limit reached");
  });

  it("lets a retrying client succeed on the next step", async () => {
    const policy = new ScriptedPolicy([
      { fault: "rate-limit", retryAfterSeconds: 0 },
      { text: "second time lucky" },
    ]);
    const { client, server } = await start({ policy }, 1);
    const completion = await client.chat.completions.create(hello);
    expect(completion.choices[0]?.message.content).toBe("second time lucky");
    expect(server.requests).toHaveLength(2);
    server.assertDone();
  });
});

describe("server-error fault", () => {
  it.each([500, 503] as const)("answers %i with the given message", async (status) => {
    const { client } = await start({ policy: () => ({ fault: "server-error", status, message: "boom" }) });
    const error = await client.chat.completions.create(hello).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status, message: expect.stringContaining("boom") });
  });
});

describe("delay fault", () => {
  it("holds the reply until the clock passes the delay", async () => {
    const clock = new ManualClock(1_000_000);
    const policy = new ScriptedPolicy([
      { fault: "delay", ms: 5000, reply: { text: "late" } },
      { text: "prompt" },
    ]);
    const { client, server } = await start({ policy, clock });
    let settled = false;
    const late = client.chat.completions.create(hello).finally(() => {
      settled = true;
    });
    await until(() => server.requests.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    clock.advance(5000);
    expect((await late).choices[0]?.message.content).toBe("late");
    await client.chat.completions.create(hello);
    expect(server.requests.map((request) => request.receivedAt)).toEqual([1_000_000, 1_005_000]);
  });

  it("adds the latency option before every reply", async () => {
    const clock = new ManualClock(0);
    const { client, server } = await start({ policy: () => ({ text: "ok" }), clock, latency: () => 250 });
    const reply = client.chat.completions.create(hello);
    await until(() => server.requests.length === 1);
    clock.advance(250);
    expect((await reply).choices[0]?.message.content).toBe("ok");
  });
});

describe("hang fault", () => {
  it("starts a stream and sends nothing more until the client aborts", async () => {
    const { client, server } = await start({ policy: () => ({ fault: "hang" }) });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { ...hello, stream: true },
      { signal: controller.signal },
    );
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.choices[0]?.delta.role).toBe("assistant");
    const second = iterator.next().then(
      (result) => (result.done ? "ended" : "chunk"),
      () => "threw",
    );
    const early = await Promise.race([
      second,
      new Promise((resolve) => setTimeout(() => resolve("waiting"), 100)),
    ]);
    expect(early).toBe("waiting");
    controller.abort();
    expect(["ended", "threw"]).toContain(await second);
    await server.close();
  });

  it("does not keep the process alive after close, even with a hanging client", async () => {
    const script = `
      import { startFakeLlm } from ${JSON.stringify(new URL("../../dist/index.js", import.meta.url).href)};
      const server = await startFakeLlm({ policy: () => ({ fault: "hang" }) });
      const controller = new AbortController();
      const response = await fetch(server.url + "/chat/completions", {
        method: "POST",
        body: JSON.stringify({ model: "m", stream: true, messages: [{ role: "user", content: "hi" }] }),
        signal: controller.signal,
      });
      const reader = response.body.getReader();
      await reader.read();
      fetch(server.url + "/chat/completions", {
        method: "POST",
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
      }).catch(() => undefined);
      while (server.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      await server.close();
      reader.read().catch(() => undefined);
      process.stdout.write("closed\\n");
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (data: Buffer) => {
      output += data.toString();
    });
    child.stderr.on("data", (data: Buffer) => {
      output += data.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const [code, signal] = await once(child, "exit");
    clearTimeout(timer);
    expect({ code, signal, output }).toEqual({ code: 0, signal: null, output: "closed\n" });
  });

  it("never answers a plain request, and the client's abort rejects it", async () => {
    const { client, server } = await start({ policy: () => ({ fault: "hang" }) });
    const controller = new AbortController();
    const call = client.chat.completions.create(hello, { signal: controller.signal });
    await until(() => server.requests.length === 1);
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
  });

  it("drops a hanging client when the server closes", async () => {
    const { client, server } = await start({ policy: () => ({ fault: "hang" }) });
    const call = client.chat.completions.create(hello);
    await until(() => server.requests.length === 1);
    await server.close();
    await expect(call).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });
});

describe("cut fault", () => {
  it("destroys a stream part of the way, and the SDK stream throws", async () => {
    const text = "This text would take many chunks to stream if it were not cut.";
    const { client } = await start({ policy: () => ({ fault: "cut", afterChunks: 3, reply: { text } }) });
    const stream = await client.chat.completions.create({ ...hello, stream: true });
    const received: string[] = [];
    const reading = (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? "");
    })();
    await expect(reading).rejects.toThrow();
    expect(received).toHaveLength(3);
    expect(text.startsWith(received.join(""))).toBe(true);
  });

  it("cuts a plain body, and the SDK call rejects", async () => {
    const { client } = await start({ policy: () => ({ fault: "cut", afterChunks: 0 }) });
    await expect(client.chat.completions.create(hello)).rejects.toThrow();
  });
});

describe("malformed-json fault", () => {
  it("sends a stream chunk that is not JSON, and the SDK stream throws", async () => {
    const { client } = await start({ policy: () => ({ fault: "malformed-json" }) });
    const stream = await client.chat.completions.create({ ...hello, stream: true });
    const reading = (async () => {
      for await (const chunk of stream) expect(chunk.object).toBe("chat.completion.chunk");
    })();
    await expect(reading).rejects.toThrow(/malformed|JSON/);
  });

  it("sends a body that is not JSON, and the SDK call rejects", async () => {
    const { client } = await start({ policy: () => ({ fault: "malformed-json" }) });
    await expect(client.chat.completions.create(hello)).rejects.toThrow();
  });
});

describe("tool calls naming unknown tools", () => {
  it("are served like any other tool call", async () => {
    const { client } = await start({
      policy: () => ({ toolCalls: [{ name: "no_such_tool", arguments: {} }] }),
    });
    const completion = await client.chat.completions.create({ ...hello, tools: [] });
    expect(completion.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      function: { name: "no_such_tool", arguments: "{}" },
    });
  });
});
