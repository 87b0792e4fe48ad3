import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { clientOf, serverPerTest } from "./__fixtures__/server-per-test.js";
import type { FakeLlmServer } from "./fake-llm-server.js";
import { createFakeRequest, type FakeRequest } from "./fake-request.js";
import { ScriptedPolicy } from "./scripted-policy.js";

const startServer = serverPerTest();

async function start(policy: ScriptedPolicy): Promise<{ client: OpenAI; server: FakeLlmServer }> {
  const server = await startServer({ policy });
  return { client: clientOf(server, 2), server };
}

function ask(client: OpenAI, content: string, role?: string) {
  return client.chat.completions.create(
    { model: "m", messages: [{ role: "user", content }] },
    role === undefined ? {} : { headers: { "x-longshot-role": role } },
  );
}

function requestFor(text: string, index = 0): FakeRequest {
  return createFakeRequest({
    index,
    protocol: "chat",
    path: "/v1/chat/completions",
    model: "m",
    stream: false,
    messages: [{ role: "user", content: text }],
    tools: [],
    headers: {},
    role: undefined,
    maxOutputTokens: undefined,
    body: {},
    receivedAt: 0,
  });
}

describe("ScriptedPolicy", () => {
  it("serves steps in order and is done when all are used", async () => {
    const { client, server } = await start(
      new ScriptedPolicy([
        { text: "one" },
        { reply: (request) => ({ text: `echo ${request.lastUserText()}` }) },
      ]),
    );
    expect((await ask(client, "a")).choices[0]?.message.content).toBe("one");
    expect((await ask(client, "b")).choices[0]?.message.content).toBe("echo b");
    expect(() => server.assertDone()).not.toThrow();
  });

  it("answers an unexpected call with 500, without SDK retries, and assertDone throws", async () => {
    const { client, server } = await start(new ScriptedPolicy([{ text: "only one" }]));
    await ask(client, "first");
    const error = await ask(client, "second question").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as Error).message).toContain("request #1");
    expect((error as Error).message).toContain('"second question"');
    expect(server.requests).toHaveLength(2);
    expect(server.failures).toHaveLength(1);
    expect(server.failures[0]).toMatch(
      /Unexpected call: request #1 .* matched no remaining script step \(1 of 1/,
    );
    expect(() => server.assertDone()).toThrow(/Unexpected call: request #1/);
  });

  it("makes assertDone throw while a step is unused", async () => {
    const policy = new ScriptedPolicy([
      { text: "used" },
      { label: "the summary", reply: { text: "never asked" } },
    ]);
    const { client, server } = await start(policy);
    await ask(client, "hi");
    expect(policy.remaining).toBe(1);
    expect(() => server.assertDone()).toThrow(/Unused script step: the summary was used 0 of 1 times/);
  });

  it("takes the first unused step whose role and match accept the request", async () => {
    const { client, server } = await start(
      new ScriptedPolicy([
        { role: "planner", reply: { text: "plan" } },
        { match: (request) => request.lastUserText().includes("fix"), reply: { text: "fixed" } },
        { role: "worker", reply: { text: "work" }, times: 2 },
      ]),
    );
    expect((await ask(client, "go", "worker")).choices[0]?.message.content).toBe("work");
    expect((await ask(client, "please fix it")).choices[0]?.message.content).toBe("fixed");
    expect((await ask(client, "go", "planner")).choices[0]?.message.content).toBe("plan");
    expect((await ask(client, "again", "worker")).choices[0]?.message.content).toBe("work");
    server.assertDone();
  });

  it("lets optional and unlimited steps stay quiet", async () => {
    const policy = new ScriptedPolicy([
      { reply: { text: "any" }, times: Number.POSITIVE_INFINITY },
      { reply: { text: "spare" }, optional: true },
    ]);
    for (let index = 0; index < 3; index++)
      expect(await policy.reply(requestFor("x", index))).toEqual({ text: "any" });
    expect(() => policy.assertDone()).not.toThrow();
    expect(() =>
      new ScriptedPolicy([{ reply: { text: "x" }, times: Number.POSITIVE_INFINITY }]).assertDone(),
    ).toThrow(/used 0 of Infinity/);
  });

  it("treats a cut fault with a reply as a reply, not a step", async () => {
    const policy = new ScriptedPolicy([{ fault: "cut", afterChunks: 1, reply: { text: "partial" } }]);
    expect(await policy.reply(requestFor("x"))).toEqual({
      fault: "cut",
      afterChunks: 1,
      reply: { text: "partial" },
    });
  });
});
