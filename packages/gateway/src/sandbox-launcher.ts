/**
 * The launcher a CLI starts through inside a sandbox that has no network: a small Node program
 * that serves the model gateway on `127.0.0.1:<port>`, serves a refusing HTTP proxy on
 * `<port + 1>` that logs every destination asked for, starts the CLI with stdin closed, and
 * exits with the CLI's exit code. Its first argument says where the gateway is: a unix socket
 * bound into the sandbox (local and Docker: bytes are piped to it), or the gateway's public
 * `http(s)://` URL (cloud sandboxes, whose only allowed egress is that host: each request is
 * forwarded to it with the URL's own host header, streamed both ways). Written into the sandbox
 * as `launcher.mjs`; it uses nothing but Node's standard library.
 */
export const launcherSource = `// Written by longshot: forwards the model gateway into this sandbox and runs one CLI.
import { spawn } from "node:child_process";
import { createServer as createHttpServer } from "node:http";
import { connect, createServer } from "node:net";
import { constants } from "node:os";

const [gateway, portText, ...argv] = process.argv.slice(2);
const port = Number(portText);
const tag = "${launcherLogPrefix()}";
const say = (message) => process.stderr.write(tag + " " + message + "\\n");

const pipeToSocket = () => createServer((client) => {
  const upstream = connect(gateway);
  const close = () => { client.destroy(); upstream.destroy(); };
  upstream.on("error", (error) => { say("gateway unreachable: " + error.message); close(); });
  client.on("error", close);
  client.pipe(upstream).pipe(client);
});

const proxyToUrl = async () => {
  const base = new URL(gateway);
  const { request: send, Agent } = await import(base.protocol === "https:" ? "node:https" : "node:http");
  // An agent of its own: the global one would follow the refusing proxy of the environment.
  const agent = new Agent({ keepAlive: true });
  const prefix = base.pathname.replace(/\\/+$/, "");
  return createHttpServer((request, response) => {
    const headers = { ...request.headers, host: base.host };
    delete headers.connection;
    const upstream = send(
      { agent, protocol: base.protocol, hostname: base.hostname, port: base.port, method: request.method, path: prefix + request.url, headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", (error) => {
      say("gateway unreachable at " + base.origin + ": " + error.message);
      if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
      response.end("longshot: the model gateway is unreachable from this sandbox\\n");
    });
    request.on("error", () => upstream.destroy());
    request.pipe(upstream);
  });
};

const forward = gateway.startsWith("http://") || gateway.startsWith("https://") ? await proxyToUrl() : pipeToSocket();

const refuse = "only the model gateway is reachable from this sandbox";
const proxy = createHttpServer((request, response) => {
  say("blocked " + request.method + " " + request.url + " (" + refuse + ")");
  response.writeHead(403, { "content-type": "text/plain", connection: "close" });
  response.end("longshot: " + refuse + "\\n");
});
proxy.on("connect", (request, socket) => {
  say("blocked CONNECT " + request.url + " (" + refuse + ")");
  socket.on("error", () => {});
  socket.end("HTTP/1.1 403 Forbidden\\r\\nconnection: close\\r\\ncontent-length: 0\\r\\n\\r\\n");
});

const listen = (server, at) => new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(at, "127.0.0.1", () => resolve());
});

try {
  await listen(forward, port);
  await listen(proxy, port + 1);
} catch (error) {
  say("could not listen on 127.0.0.1:" + port + ": " + error.message);
  process.exit(1);
}

const child = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "inherit", "inherit"] });
for (const name of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(name, () => child.kill(name));
child.on("error", (error) => {
  say(error.code === "ENOENT"
    ? argv[0] + " was not found on the sandbox's PATH (" + (process.env.PATH ?? "") + ")"
    : "could not start " + argv[0] + ": " + error.message);
  process.exit(127);
});
child.on("exit", (code, signal) => {
  forward.close();
  proxy.close();
  process.exit(code ?? 128 + (constants.signals[signal] ?? 15));
});
`;

/** Every line the launcher writes to stderr starts with this. */
export function launcherLogPrefix(): string {
  return "longshot-sandbox:";
}

/** Where a CLI behind the launcher finds the gateway and the refusing proxy. */
export interface LauncherPorts {
  /** `http://127.0.0.1:<port>`: the gateway, forwarded. */
  readonly gatewayUrl: string;
  /** `http://127.0.0.1:<port + 1>`: the proxy that refuses and logs everything. */
  readonly proxyUrl: string;
}

/** The URLs the launcher serves for `port`. */
export function launcherPorts(port: number): LauncherPorts {
  return { gatewayUrl: `http://127.0.0.1:${port}`, proxyUrl: `http://127.0.0.1:${port + 1}` };
}

/**
 * Environment that sends every proxy-aware client (git, npm, curl, Rust and Bun HTTP stacks,
 * Node with `NODE_USE_ENV_PROXY`) to the refusing proxy, so attempts to reach the internet fail
 * fast and are logged; loopback (the gateway) stays direct.
 */
export function proxyEnv(proxyUrl: string): Record<string, string> {
  return {
    HTTP_PROXY: proxyUrl,
    HTTPS_PROXY: proxyUrl,
    ALL_PROXY: proxyUrl,
    http_proxy: proxyUrl,
    https_proxy: proxyUrl,
    all_proxy: proxyUrl,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
    NODE_USE_ENV_PROXY: "1",
  };
}

/** A line of the launcher's stderr that reports a blocked destination, as `blocked …`; else null. */
export function blockedConnection(line: string): string | null {
  const prefix = `${launcherLogPrefix()} blocked `;
  return line.startsWith(prefix) ? line.slice(launcherLogPrefix().length + 1).trim() : null;
}
