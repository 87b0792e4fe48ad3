import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { e2bSdkClient } from "./e2b-sdk-client.js";

/** What the E2B API received: one create request, answered with an error so nothing starts. */
async function apiThatRecords(): Promise<{
  readonly url: string;
  readonly received: {
    path: string | undefined;
    headers: IncomingHttpHeaders;
    body: Record<string, unknown>;
  }[];
  close(): void;
}> {
  const received: {
    path: string | undefined;
    headers: IncomingHttpHeaders;
    body: Record<string, unknown>;
  }[] = [];
  const server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on("end", () => {
      received.push({ path: request.url, headers: request.headers, body: JSON.parse(text || "{}") });
      response.writeHead(400, { "content-type": "application/json" });
      response.end(JSON.stringify({ code: 400, message: "recorded" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => server.close(),
  };
}

describe("e2bSdkClient on the wire", () => {
  let api: Awaited<ReturnType<typeof apiThatRecords>> | undefined;
  afterEach(() => api?.close());

  const create = (allowInternetAccess: boolean, allowOut?: readonly string[]) =>
    e2bSdkClient({ apiKey: "e2b_wire_test_key", apiUrl: api?.url ?? "" })
      .create({
        template: "longshot-worker-cli",
        timeoutMs: 60_000,
        metadata: { "longshot.run": "r1" },
        allowInternetAccess,
        ...(allowOut === undefined ? {} : { allowOut }),
      })
      .catch((error: unknown) => error);

  it("asks for a sandbox whose egress allows the gateway's host alone, and nothing else", async () => {
    api = await apiThatRecords();
    await create(false, ["gw.example.com"]);
    const [request] = api.received;
    expect(request?.path).toBe("/v2/sandboxes");
    expect(request?.headers["x-api-key"]).toBe("e2b_wire_test_key");
    expect(request?.body).toMatchObject({
      templateID: "longshot-worker-cli",
      allow_internet_access: false,
      network: { allowOut: ["gw.example.com"], denyOut: ["0.0.0.0/0"] },
      envVars: {},
    });
  });

  it("sends no allow-list when the sandbox has the whole network, or none at all", async () => {
    api = await apiThatRecords();
    await create(true, ["gw.example.com"]);
    await create(false);
    expect(api.received.map((request) => [request.body.allow_internet_access, request.body.network])).toEqual(
      [
        [true, undefined],
        [false, undefined],
      ],
    );
  });
});
