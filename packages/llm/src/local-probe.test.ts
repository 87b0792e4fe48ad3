import { createServer } from "node:net";
import { loadConfig, UserError } from "@longshot/core";
import { type FakeLlmServer, startFakeLlm } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { checkEndpoints } from "./check-endpoints.js";
import { probeLocalEndpoint } from "./local-probe.js";
import { modelClientFromConfig } from "./model-client-from-config.js";
import { resolveEndpoints } from "./resolve-endpoints.js";

const signal = new AbortController().signal;
const servers: FakeLlmServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function fakeOn(port: number, models: string[]): Promise<FakeLlmServer> {
  const server = await startFakeLlm({ policy: () => ({ text: "hello from local" }), port, models });
  servers.push(server);
  return server;
}

describe("local model probe", () => {
  it("uses the first candidate in order that answers with a model list", async () => {
    const nothing = await closedPort();
    const second = await fakeOn(await closedPort(), ["qwen2.5-coder"]);
    const third = await fakeOn(await closedPort(), ["other"]);
    const found = await probeLocalEndpoint({
      signal,
      candidates: [
        { port: nothing, server: "Ollama" },
        { port: second.port, server: "LM Studio" },
        { port: third.port, server: "vLLM/SGLang" },
      ],
    });
    expect(found).toMatchObject({ server: "LM Studio", port: second.port, models: ["qwen2.5-coder"] });
    expect(found?.endpoint.endpoint).toBe(`http://127.0.0.1:${second.port}/v1`);
  });

  it("builds a working client on the local server when nothing is configured", async () => {
    const local = await fakeOn(await closedPort(), ["llama3.2"]);
    const { config } = loadConfig({ env: { LLM_MODEL: "llama3.2" } });
    const { client, endpoints } = await modelClientFromConfig(config, {
      signal,
      localCandidates: [{ port: local.port, server: "Ollama" }],
    });
    expect(endpoints.source).toBe("local");
    expect(endpoints.local?.server).toBe("Ollama");
    const result = await client.complete(
      { messages: [{ role: "user", content: "hi" }] },
      { role: "worker", runId: "r", signal },
    );
    expect(result.ok && result.text).toBe("hello from local");
    expect(local.requests[0]?.model).toBe("llama3.2");
  });

  it("says which model to set when the local server does not have the configured one", async () => {
    const local = await fakeOn(await closedPort(), ["llama3.2", "qwen3"]);
    const { config } = loadConfig({ env: {} });
    const attempt = modelClientFromConfig(config, {
      signal,
      localCandidates: [{ port: local.port, server: "Ollama" }],
    });
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    await expect(attempt).rejects.toThrow(/does not serve "gpt-4\.1".*LLM_MODEL.*llama3\.2, qwen3/);
  });

  it("fails with a UserError naming the variables to set when no local server answers", async () => {
    const port = await closedPort();
    const attempt = resolveEndpoints(
      { LLM_ENDPOINTS: undefined, LLM_BASE_URL: undefined, LLM_API_KEY: undefined },
      { signal, candidates: [{ port, server: "Ollama" }] },
    );
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    await expect(attempt).rejects.toThrow(/Ollama \(port \d+\).*LLM_BASE_URL.*LLM_ENDPOINTS/);
  });

  it("prefers configured endpoints and does not probe", async () => {
    const resolved = await resolveEndpoints(
      { LLM_ENDPOINTS: undefined, LLM_BASE_URL: "https://api.example.com/v1", LLM_API_KEY: "sk-x" },
      { signal, candidates: [] },
    );
    expect(resolved).toEqual({
      source: "LLM_BASE_URL",
      local: null,
      endpoints: [
        { name: "api.example.com", endpoint: "https://api.example.com/v1", apiKey: "sk-x", weight: 1 },
      ],
    });
  });
});

describe("checkEndpoints", () => {
  it("reports which endpoints answer, their models and latency", async () => {
    const up = await fakeOn(await closedPort(), ["m1", "m2"]);
    const down = await closedPort();
    const checks = await checkEndpoints(
      [
        { name: "up", endpoint: up.url, apiKey: "k", weight: 1 },
        { name: "down", endpoint: `http://127.0.0.1:${down}/v1`, apiKey: "", weight: 1 },
      ],
      { signal },
    );
    expect(checks[0]).toMatchObject({ name: "up", ok: true, status: 200, models: ["m1", "m2"], error: null });
    expect(checks[0]?.latencyMs).toBeTypeOf("number");
    expect(checks[1]).toMatchObject({ name: "down", ok: false, status: null, models: [], latencyMs: null });
    expect(checks[1]?.error).toBeTruthy();
  });
});
