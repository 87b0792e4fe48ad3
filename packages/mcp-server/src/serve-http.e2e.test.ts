import { InternalError, RandomIdSource, silentLogger, systemClock } from "@longshot/core";
import { perTest } from "@longshot/testkit/per-test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import {
  call,
  dataOf,
  httpPerTest,
  type RunData,
  scenarioPerTest,
  waitUntilEnded,
} from "./__fixtures__/mcp-scenario.js";
import { InProcessRunService } from "./in-process-run-service.js";
import { serveHttp } from "./serve-http.js";

const token = "test-token-0123456789abcdef";
const initialize = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1.0.0" } },
});

const openScenario = scenarioPerTest();
const spawnServer = httpPerTest();

function post(url: string, authorization?: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: initialize,
  });
}

const connect = perTest(
  async (url: string, bearer: string | null): Promise<Client> => {
    const connected = new Client({ name: "longshot-test", version: "1.0.0" });
    const headers: Record<string, string> = bearer === null ? {} : { authorization: `Bearer ${bearer}` };
    await connected.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
    return connected;
  },
  (client) => client.close(),
);

describe("longshot mcp --http, as a separate process", () => {
  it("answers 401 without the bearer token before MCP sees the request, and serves a run with it", async () => {
    const scenario = await openScenario({ modules: 2 });
    const server = await spawnServer(scenario, token);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

    const missing = await post(server.url);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="longshot"');
    expect(missing.headers.get("mcp-session-id")).toBeNull();
    expect((await post(server.url, "Bearer not-the-token-at-all")).status).toBe(401);
    expect((await post(server.url, token)).status).toBe(401);
    expect((await fetch(server.url, { method: "GET" })).status).toBe(401);
    await expect(connect(server.url, "wrong-token-0123456789")).rejects.toThrow();

    const accepted = await post(server.url, `Bearer ${token}`);
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get("mcp-session-id")).toMatch(/^[0-9a-f-]{36}$/);
    await accepted.body?.cancel();

    const client = await connect(server.url, token);
    const started = dataOf(
      await call(client, "start_run", { request: "Build per SPEC.md" }),
    ) as unknown as RunData;
    const progress: Progress[] = [];
    const ended = await waitUntilEnded({ client, stderr: server.stderr }, started.runId, progress);
    // Two modules, the barrel export and the README task.
    expect(ended).toMatchObject({ status: "green", progress: { total: 4, landed: 4 } });
    expect(progress.at(-1)).toMatchObject({ progress: 4, total: 4 });
  });
});

describe("serveHttp", () => {
  it("refuses a token too short to be a secret", async () => {
    const service = new InProcessRunService({
      defaultRepo: null,
      open: () => Promise.reject(new InternalError("no runs in this test")),
      report: () => "",
      clock: systemClock,
      ids: new RandomIdSource(),
      pid: process.pid,
      logger: silentLogger(),
    });
    await expect(serveHttp(service, { port: 0, token: "short" })).rejects.toThrow(
      "The HTTP transport needs a bearer token of at least 16 characters; pass a longer --token.",
    );
  });
});
