import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingHttpHeaders } from "node:http";
import { type AddressInfo, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blockedConnection, launcherPorts, launcherSource, proxyEnv } from "./sandbox-launcher.js";

let dir: string;
let upstream: Server;
const received: string[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "lsgw-launcher-"));
  writeFileSync(join(dir, "launcher.mjs"), launcherSource);
  received.length = 0;
  upstream = createServer((socket) => {
    socket.on("data", (chunk) => {
      received.push(chunk.toString());
      socket.end("HTTP/1.1 200 OK\r\ncontent-length: 7\r\nconnection: close\r\n\r\nfrom-gw");
    });
  });
  await new Promise<void>((resolve) => upstream.listen(join(dir, "gw.sock"), resolve));
});

afterEach(async () => {
  await new Promise((resolve) => upstream.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the launcher with `script` as the CLI (a Node program); resolves with its exit and output. */
function launch(
  port: number,
  argv: readonly string[],
  gateway = join(dir, "gw.sock"),
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(dir, "launcher.mjs"), gateway, String(port), ...argv], {
    env: { PATH: process.env.PATH ?? "", ...proxyEnv(launcherPorts(port).proxyUrl) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

const port = (): number => 20_000 + 2 * Math.floor(Math.random() * 15_000);

describe("the in-sandbox launcher", () => {
  it("forwards loopback calls to the gateway socket, refuses proxy requests with a log line, and passes the exit code on", async () => {
    const at = port();
    const { gatewayUrl, proxyUrl } = launcherPorts(at);
    const proxy = new URL(proxyUrl);
    const cli = `
      const gw = await fetch("${gatewayUrl}/v1/models").then((response) => response.text());
      const viaProxy = await fetch("http://example.invalid/").then((response) => response.status, (error) => String(error));
      const http = await import("node:http");
      const plain = await new Promise((done) => {
        http.get({ host: "${proxy.hostname}", port: ${proxy.port}, path: "http://example.invalid/x" }, (response) => done(response.statusCode))
          .on("error", (error) => done(String(error)));
      });
      console.log(JSON.stringify({ gw, viaProxy, plain }));
      process.exit(7);
    `;
    const result = await launch(at, [process.execPath, "--input-type=module", "-e", cli]);
    expect(result.code).toBe(7);
    const out = JSON.parse(result.stdout.trim()) as {
      gw: string;
      viaProxy: number | string;
      plain: number | string;
    };
    expect(out.gw).toBe("from-gw");
    expect(received.join("")).toContain("GET /v1/models");
    // Node's fetch tunnels through the proxy (NODE_USE_ENV_PROXY), which refuses the tunnel.
    expect(out.viaProxy).toBe("TypeError: fetch failed");
    expect(out.plain).toBe(403);
    const lines = result.stderr.trim().split("\n");
    expect(lines.map(blockedConnection)).toContain(
      "blocked GET http://example.invalid/x (only the model gateway is reachable from this sandbox)",
    );
    expect(lines.map(blockedConnection)).toContain(
      "blocked CONNECT example.invalid:80 (only the model gateway is reachable from this sandbox)",
    );
  });

  it("says which program is missing and exits 127", async () => {
    const result = await launch(port(), ["no-such-cli-anywhere", "--version"]);
    expect(result.code).toBe(127);
    expect(result.stderr).toContain(
      "longshot-sandbox: no-such-cli-anywhere was not found on the sandbox's PATH",
    );
    expect(blockedConnection(result.stderr.trim())).toBeNull();
  });

  it("forwards to a public gateway URL with its host and path, streams the answer, and says when it is unreachable", async () => {
    const seen: { url: string | undefined; headers: IncomingHttpHeaders; body: string }[] = [];
    const publicGateway = createHttpServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on("end", () => {
        seen.push({ url: request.url, headers: request.headers, body });
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.write("data: one\n\n");
        setTimeout(() => response.end("data: two\n\n"), 50);
      });
    });
    await new Promise<void>((resolve) => publicGateway.listen(0, "127.0.0.1", resolve));
    const { port: gatewayPort } = publicGateway.address() as AddressInfo;
    try {
      const at = port();
      const { gatewayUrl } = launcherPorts(at);
      const cli = `
        const response = await fetch("${gatewayUrl}/v1/chat/completions", {
          method: "POST", headers: { authorization: "Bearer lsgw_token", "content-type": "application/json" },
          body: JSON.stringify({ stream: true }),
        });
        console.log(JSON.stringify({ status: response.status, text: await response.text() }));
      `;
      const base = `http://127.0.0.1:${gatewayPort}/team-a/`;
      const result = await launch(at, [process.execPath, "--input-type=module", "-e", cli], base);
      expect(result.stderr).toBe("");
      expect(JSON.parse(result.stdout.trim())).toEqual({ status: 200, text: "data: one\n\ndata: two\n\n" });
      expect(seen).toHaveLength(1);
      expect(seen[0]?.url).toBe("/team-a/v1/chat/completions");
      expect(seen[0]?.headers.host).toBe(`127.0.0.1:${gatewayPort}`);
      expect(seen[0]?.headers.authorization).toBe("Bearer lsgw_token");
      expect(seen[0]?.body).toBe('{"stream":true}');
    } finally {
      await new Promise((resolve) => publicGateway.close(resolve));
    }
    // The same launcher with nothing listening at the URL: the CLI gets a 502, the log says why.
    const at = port();
    const cli = `console.log((await fetch("${launcherPorts(at).gatewayUrl}/v1/models")).status);`;
    const result = await launch(
      at,
      [process.execPath, "--input-type=module", "-e", cli],
      `http://127.0.0.1:${gatewayPort}`,
    );
    expect(result.stdout.trim()).toBe("502");
    expect(result.stderr).toContain(
      `longshot-sandbox: gateway unreachable at http://127.0.0.1:${gatewayPort}:`,
    );
  });
});
