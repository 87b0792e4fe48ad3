import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { providerTestbed } from "@longshot/sandbox/conformance";
import { E2BSandboxProvider } from "@longshot/sandbox-e2b";
import { LocalE2BClient } from "@longshot/sandbox-e2b/testing";
import { afterEach, describe, expect, it } from "vitest";
import { publicGatewayRoute } from "./gateway-route.js";
import { probeGatewayRoute } from "./harness-check.js";

const { temp, makeRepo, create, cleanup } = providerTestbed("gwroute");
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
  cleanup();
});

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An HTTP server on 127.0.0.1 answering every request with `text`; its port. */
async function answering(text: string): Promise<number> {
  const server = createServer((_, response) => response.end(text));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

/** A sandbox of the offline E2B whose egress allows 127.0.0.1, where `ports` answer. */
async function cloudSandbox(ports: readonly number[]) {
  const client = new LocalE2BClient();
  for (const port of ports) client.reach("127.0.0.1", port);
  const vm = temp("longshot-gwroute-vm-");
  mkdirSync(join(vm, "home"));
  mkdirSync(join(vm, "tmp"));
  const provider = new E2BSandboxProvider({
    client,
    workspaceRoot: temp("longshot-gwroute-root-"),
    egressAllow: ["127.0.0.1"],
    paths: { workdir: join(vm, "home/workspace"), home: join(vm, "home"), tmpDir: join(vm, "tmp") },
  });
  return create(provider, makeRepo(), { network: false });
}

const route = (urlPort: number, listenPort: number) => ({
  url: `http://127.0.0.1:${urlPort}/`,
  host: "127.0.0.1",
  listen: { text: `127.0.0.1:${listenPort}`, host: "127.0.0.1", port: listenPort },
});
const signal = new AbortController().signal;

describe("the gateway's public route, checked from inside a cloud sandbox before a run", () => {
  it("passes when GATEWAY_PUBLIC_URL reaches this machine's GATEWAY_LISTEN", async () => {
    const port = await freePort();
    const sandbox = await cloudSandbox([port]);
    expect(await probeGatewayRoute(sandbox, route(port, port), signal, process.execPath)).toBeNull();
  });

  it("fails in one sentence when the URL leads somewhere else, nowhere, or the port is taken", async () => {
    const listen = await freePort();
    const elsewhere = await answering("a different service");
    const nowhere = await freePort();
    const sandbox = await cloudSandbox([listen, elsewhere]);
    expect(await probeGatewayRoute(sandbox, route(elsewhere, listen), signal, process.execPath)).toBe(
      `The e2b sandbox cannot reach longshot's model gateway at GATEWAY_PUBLIC_URL (http://127.0.0.1:${elsewhere}): something else answered there; make that address forward to GATEWAY_LISTEN (127.0.0.1:${listen}) on this machine.`,
    );
    expect(await probeGatewayRoute(sandbox, route(nowhere, listen), signal, process.execPath)).toMatch(
      new RegExp(
        `^The e2b sandbox cannot reach longshot's model gateway at GATEWAY_PUBLIC_URL \\(http://127\\.0\\.0\\.1:${nowhere}\\): .*ECONNREFUSED.*; make that address forward to GATEWAY_LISTEN \\(127\\.0\\.0\\.1:${listen}\\) on this machine\\.$`,
      ),
    );
    expect(await probeGatewayRoute(sandbox, route(listen, elsewhere), signal, process.execPath)).toMatch(
      new RegExp(
        `^Longshot cannot listen on GATEWAY_LISTEN \\(127\\.0\\.0\\.1:${elsewhere}\\): .*EADDRINUSE`,
      ),
    );
  });

  it("is asked for only when a CLI harness runs on a cloud sandbox and the URL is set", () => {
    const base = {
      WORKER_HARNESS: "codex",
      SANDBOX_PROVIDER: "e2b",
      SANDBOX_ROUTES: undefined,
      GATEWAY_PUBLIC_URL: "https://gw.example.com/team",
      GATEWAY_LISTEN: "[::1]:9000",
    } as const;
    expect(publicGatewayRoute(base)).toEqual({
      url: "https://gw.example.com/team",
      host: "gw.example.com",
      listen: { text: "[::1]:9000", host: "::1", port: 9000 },
    });
    expect(publicGatewayRoute({ ...base, WORKER_HARNESS: "builtin" })).toBeNull();
    expect(publicGatewayRoute({ ...base, SANDBOX_PROVIDER: "docker" })).toBeNull();
    expect(
      publicGatewayRoute({
        ...base,
        SANDBOX_PROVIDER: "local",
        SANDBOX_ROUTES: [{ provides: ["large"], sandbox: "modal" }],
      }),
    ).not.toBeNull();
  });
});
