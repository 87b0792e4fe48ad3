// Test wiring: the fake model server behind a real ModelClient, the gateway in front of it on a
// unix socket and TCP, and helpers that call it the way CLIs do.
import { request as httpRequest } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock, NewEvent } from "@longshot/core";
import { type BudgetLimits, EndpointPool, ModelClient } from "@longshot/llm";
import { type FakeLlmServer, type FakePolicy, startFakeLlm } from "@longshot/testkit";
import type { GatewayGrant } from "../gateway-session.js";
import { ModelGateway } from "../model-gateway.js";

export const realKey = "sk-real-upstream-key-canary-0123456789";

export interface GatewayFixture {
  readonly server: FakeLlmServer;
  readonly gateway: ModelGateway;
  readonly model: ModelClient;
  readonly events: NewEvent[];
  readonly grant: GatewayGrant;
  cleanup(): Promise<void>;
}

export async function createGatewayFixture(options: {
  readonly policy: FakePolicy;
  readonly budget?: BudgetLimits;
  readonly clock?: Clock;
  readonly maxRetries?: number;
}): Promise<GatewayFixture> {
  const server = await startFakeLlm({ policy: options.policy });
  const events: NewEvent[] = [];
  const model = new ModelClient({
    pool: new EndpointPool([{ name: "fake", endpoint: server.url, apiKey: realKey, weight: 1 }]),
    models: { planner: "pool-model", subplanner: "pool-model", worker: "pool-model", judge: "pool-model", fixer: "pool-model", critic: "pool-model" },
    maxRetries: options.maxRetries ?? 0,
    maxTokens: 4096,
    emit: (event) => events.push(event),
    ...(options.budget === undefined ? {} : { budget: options.budget }),
  });
  const dir = mkdtempSync(join(tmpdir(), "lsgw-"));
  const gateway = await ModelGateway.start({
    model,
    socketPath: join(dir, "gw", "gateway.sock"),
    tcp: {},
    heartbeatMs: 60_000,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  return {
    server,
    gateway,
    model,
    events,
    grant: { runId: "run-1", taskId: "t0001", attempt: 2, model: "pool-model", maxTurns: 5, ttlMs: 600_000 },
    async cleanup() {
      await gateway.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A response as a CLI receives it. */
export interface GatewayReply {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  json(): unknown;
}

/** POSTs JSON to the gateway over its unix socket (as a sandbox does, through its launcher). */
export function postOverSocket(
  socketPath: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<GatewayReply> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { socketPath, path, method: "POST", headers: { "content-type": "application/json", ...headers } },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers["content-type"] ?? ""),
            text,
            json: () => JSON.parse(text) as unknown,
          }),
        );
      },
    );
    request.on("error", reject);
    request.end(JSON.stringify(body));
  });
}

/** POSTs JSON to the gateway over TCP. */
export async function post(
  gateway: ModelGateway,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<GatewayReply> {
  const response = await fetch(`${gateway.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    text,
    json: () => JSON.parse(text) as unknown,
  };
}

/** The JSON data of every event of an SSE body (`[DONE]` and comments left out), with names. */
export function sseEvents(text: string): { event: string | undefined; data: Record<string, unknown> }[] {
  const events: { event: string | undefined; data: Record<string, unknown> }[] = [];
  for (const block of text.split("\n\n")) {
    let event: string | undefined;
    let data = "";
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data += line.slice(6);
    }
    if (data !== "" && data !== "[DONE]") events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
  }
  return events;
}
