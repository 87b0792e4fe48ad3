import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock, UserError } from "@longshot/core";
import { ScriptedPolicy } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import {
  createGatewayFixture,
  type GatewayFixture,
  post,
  postOverSocket,
  realKey,
  sseEvents,
} from "./__fixtures__/gateway-fixture.js";
import { ModelGateway } from "./model-gateway.js";

const chatBody = (text: string) => ({
  model: "whatever-the-cli-says",
  messages: [{ role: "user", content: text }],
});

let fixture: GatewayFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

describe("ModelGateway: where it listens", () => {
  it("says in one sentence that GATEWAY_LISTEN's port is taken, and leaves no socket behind", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), "lsgw-taken-"));
    const socketPath = join(dir, "gateway.sock");
    try {
      fixture = await createGatewayFixture({ policy: new ScriptedPolicy([]) });
      const started = ModelGateway.start({
        model: fixture.model,
        socketPath,
        tcp: { host: "127.0.0.1", port },
      });
      await expect(started).rejects.toBeInstanceOf(UserError);
      await expect(started).rejects.toThrow(
        `The model gateway cannot listen on 127.0.0.1:${port} (listen EADDRINUSE: address already in use 127.0.0.1:${port}); free that port or set GATEWAY_LISTEN to another address.`,
      );
      expect(existsSync(socketPath)).toBe(false);
    } finally {
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("ModelGateway: who may call", () => {
  it("answers a sandbox's token over the unix socket and forwards with the real key, never the token", async () => {
    fixture = await createGatewayFixture({ policy: new ScriptedPolicy([{ text: "hello" }]) });
    const session = fixture.gateway.open(fixture.grant);
    const reply = await postOverSocket(fixture.gateway.socketPath, "/v1/chat/completions", chatBody("hi"), {
      authorization: `Bearer ${session.token}`,
    });
    expect(reply.status).toBe(200);
    expect(reply.json()).toMatchObject({ choices: [{ message: { content: "hello" } }] });
    const [upstream] = fixture.server.requests;
    expect(upstream?.headers.authorization).toBe(`Bearer ${realKey}`);
    expect(JSON.stringify(upstream?.headers)).not.toContain(session.token);
    expect(session.token).not.toContain(realKey);
  });

  it("refuses calls without a token, with an unknown one, after the session closed, and after it expired", async () => {
    const clock = new ManualClock(1_000);
    fixture = await createGatewayFixture({ policy: new ScriptedPolicy([]), clock });
    const gateway = fixture.gateway;
    const none = await post(gateway, "/v1/chat/completions", chatBody("hi"), {});
    expect(none.status).toBe(401);
    expect(JSON.stringify(none.json())).toContain("needs the sandbox's token");
    const forged = await post(gateway, "/v1/chat/completions", chatBody("hi"), {
      authorization: `Bearer ${realKey}`,
    });
    expect(forged.status).toBe(401);
    const closed = gateway.open(fixture.grant);
    closed.close();
    const afterClose = await post(
      gateway,
      "/v1/messages",
      { model: "m", max_tokens: 10, messages: [{ role: "user", content: "x" }] },
      {
        "x-api-key": closed.token,
      },
    );
    expect(afterClose.status).toBe(401);
    expect(afterClose.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const expiring = gateway.open({ ...fixture.grant, ttlMs: 5_000 });
    clock.advance(5_000);
    const expired = await post(gateway, "/v1/chat/completions", chatBody("hi"), {
      authorization: `Bearer ${expiring.token}`,
    });
    expect(expired.status).toBe(401);
    expect(JSON.stringify(expired.json())).toContain("expired");
    expect(fixture.server.requests).toHaveLength(0);
    expect(gateway.liveSessions).toBe(0);
  });
});

describe("ModelGateway: limits and metering", () => {
  it("meters each call under its task and attempt with the grant's model, whatever the CLI asks for", async () => {
    fixture = await createGatewayFixture({
      policy: new ScriptedPolicy([
        { text: "one", usage: { inputTokens: 100, outputTokens: 10 } },
        { text: "two", usage: { inputTokens: 200, outputTokens: 20 } },
      ]),
    });
    const session = fixture.gateway.open(fixture.grant);
    const auth = { authorization: `Bearer ${session.token}` };
    await post(fixture.gateway, "/v1/chat/completions", chatBody("a"), auth);
    await post(fixture.gateway, "/v1/chat/completions", { ...chatBody("b"), stream: true }, auth);
    expect(fixture.server.requests.map((request) => request.model)).toEqual(["pool-model", "pool-model"]);
    expect(fixture.server.requests[0]?.headers["x-longshot-task"]).toBe("t0001");
    expect(fixture.server.requests[0]?.headers["x-longshot-attempt"]).toBe("2");
    expect(session.calls).toBe(2);
    expect(session.usage).toEqual({ promptTokens: 300, completionTokens: 30, cachedTokens: 0 });
    const ends = fixture.events.filter((event) => event.type === "model-call-end");
    expect(ends).toEqual([
      expect.objectContaining({ role: "worker", taskId: "t0001", attempt: 2, ok: true }),
      expect.objectContaining({ role: "worker", taskId: "t0001", attempt: 2, ok: true }),
    ]);
    expect(fixture.model.ledger.attempt("run-1", "t0001", 2)).toMatchObject({ calls: 2, tokens: 330 });
    expect(fixture.model.ledger.task("run-1", "t0001").tokens).toBe(330);
  });

  it("refuses the call past the turn limit, and every call after it, without reaching the model", async () => {
    fixture = await createGatewayFixture({ policy: new ScriptedPolicy([{ text: "1" }, { text: "2" }]) });
    const session = fixture.gateway.open({ ...fixture.grant, maxTurns: 2 });
    const auth = { authorization: `Bearer ${session.token}` };
    expect((await post(fixture.gateway, "/v1/chat/completions", chatBody("a"), auth)).status).toBe(200);
    expect((await post(fixture.gateway, "/v1/chat/completions", chatBody("b"), auth)).status).toBe(200);
    expect(session.refused.aborted).toBe(false);
    const third = await post(
      fixture.gateway,
      "/v1/responses",
      { model: "m", input: "c", stream: true },
      auth,
    );
    expect(third.status).toBe(403);
    expect(third.json()).toMatchObject({
      error: { message: expect.stringContaining("all 2 model turns it may take (AGENT_MAX_TURNS)") },
    });
    expect((await post(fixture.gateway, "/v1/chat/completions", chatBody("d"), auth)).status).toBe(403);
    expect(fixture.server.requests).toHaveLength(2);
    expect(session.refusal?.kind).toBe("turns");
    expect(session.refused.aborted).toBe(true);
  });

  it("stops an attempt at its token cap", async () => {
    fixture = await createGatewayFixture({
      policy: new ScriptedPolicy([{ text: "big", usage: { inputTokens: 900, outputTokens: 200 } }]),
    });
    const session = fixture.gateway.open({ ...fixture.grant, maxTokens: 1000 });
    const auth = { authorization: `Bearer ${session.token}` };
    expect((await post(fixture.gateway, "/v1/chat/completions", chatBody("a"), auth)).status).toBe(200);
    const next = await post(fixture.gateway, "/v1/chat/completions", chatBody("b"), auth);
    expect(next.status).toBe(403);
    expect(JSON.stringify(next.json())).toContain("used 1100 of its 1000 tokens");
    expect(session.refusal?.kind).toBe("tokens");
  });

  it("passes a budget refusal on as a 403 the CLI can show, and the call never reaches the model", async () => {
    fixture = await createGatewayFixture({
      policy: new ScriptedPolicy([]),
      budget: { run: { tokens: 1000 } },
    });
    const session = fixture.gateway.open(fixture.grant);
    const reply = await post(
      fixture.gateway,
      "/v1/messages",
      { model: "m", max_tokens: 2000, stream: true, messages: [{ role: "user", content: "hi" }] },
      { "x-api-key": session.token },
    );
    expect(reply.status).toBe(403);
    expect(reply.json()).toMatchObject({
      type: "error",
      error: {
        type: "permission_error",
        message: expect.stringContaining("The run budget of 1000 tokens would be exceeded"),
      },
    });
    expect(session.refusal?.kind).toBe("budget");
    expect(fixture.server.requests).toHaveLength(0);
    expect(fixture.events).toContainEqual(
      expect.objectContaining({ type: "budget-refuse", scope: "run", kind: "tokens" }),
    );
  });

  it("caps the output tokens a CLI asks for at the pool's limit", async () => {
    fixture = await createGatewayFixture({ policy: new ScriptedPolicy([{ text: "ok" }]) });
    await fixture.gateway.close();
    const { ModelGateway } = await import("./model-gateway.js");
    const capped = await ModelGateway.start({
      model: fixture.model,
      socketPath: `${fixture.gateway.socketPath}.capped`,
      tcp: {},
      maxOutputTokens: 512,
    });
    try {
      const session = capped.open(fixture.grant);
      await post(
        capped,
        "/v1/messages",
        { model: "m", max_tokens: 32_000, messages: [{ role: "user", content: "x" }] },
        {
          "x-api-key": session.token,
        },
      );
      expect(fixture.server.requests[0]?.maxOutputTokens).toBe(512);
    } finally {
      await capped.close();
    }
  });

  it("answers an endpoint that keeps failing with a retryable 503 and counts the turn", async () => {
    fixture = await createGatewayFixture({
      policy: new ScriptedPolicy([{ fault: "server-error", status: 500, message: "upstream down" }]),
    });
    const session = fixture.gateway.open(fixture.grant);
    const reply = await post(
      fixture.gateway,
      "/v1/chat/completions",
      { ...chatBody("a"), stream: true },
      {
        authorization: `Bearer ${session.token}`,
      },
    );
    expect(reply.status).toBe(503);
    expect(JSON.stringify(reply.json())).toContain("upstream down");
    expect(session.calls).toBe(1);
    expect(session.refusal).toBeNull();
  });

  it("lists only the grant's model and counts tokens without spending a turn", async () => {
    fixture = await createGatewayFixture({ policy: new ScriptedPolicy([]) });
    const session = fixture.gateway.open(fixture.grant);
    const models = await fetch(`${fixture.gateway.url}/v1/models`, {
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect(await models.json()).toMatchObject({ data: [{ id: "pool-model" }] });
    const counted = await post(
      fixture.gateway,
      "/v1/messages/count_tokens",
      { messages: [{ role: "user", content: "x".repeat(400) }] },
      {
        "x-api-key": session.token,
      },
    );
    expect(counted.json()).toMatchObject({ input_tokens: expect.any(Number) });
    expect(session.calls).toBe(0);
    const unknown = await post(
      fixture.gateway,
      "/v1/embeddings",
      {},
      { authorization: `Bearer ${session.token}` },
    );
    expect(unknown.status).toBe(404);
    expect(sseEvents("")).toEqual([]);
  });
});
