import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RemoteRunOptions, RemoteRunResult } from "../../remote/remote-service.js";

/** The environment every command of an offline service fake starts with (like a fresh VM's). */
const fakeBaseEnv = { PATH: "/usr/local/bin:/usr/bin:/bin", LANG: "C.UTF-8", HOME: "/nonexistent-fake-home" };

/** A TCP address of this machine a sandbox may reach when its egress allows the host. */
export interface LocalRoute {
  readonly host: string;
  readonly port: number;
}

/** How an offline fake of a cloud sandbox service runs one command on this machine. */
export interface LocalRemoteCommand {
  /**
   * `true`: the machine's network as is. `false`: a network namespace of its own (bubblewrap,
   * the rest of the machine as is), so the fake enforces what the service would. `{ reachable }`:
   * the same namespace, where each of these addresses answers on its own host and port
   * (forwarded to this machine's), and nothing else does: the service's egress allow-list.
   * Throws when bubblewrap cannot do that here.
   */
  readonly network: boolean | { readonly reachable: readonly LocalRoute[] };
}

/**
 * Runs a command of an offline service fake (E2B, Modal) with bash on this machine, streaming
 * its output; exit codes follow the services' (128 + signal when killed).
 */
export async function runRemoteCommandLocally(
  command: string,
  options: RemoteRunOptions,
  how: LocalRemoteCommand,
): Promise<RemoteRunResult> {
  if (how.network === true) return runLocally(["/bin/bash", "-c", command], options, true);
  const isolated = ["bwrap", "--dev-bind", "/", "/", "--unshare-net", "--die-with-parent", "--"];
  const reachable = how.network === false ? [] : how.network.reachable;
  if (reachable.length === 0) return runLocally([...isolated, "/bin/bash", "-c", command], options, false);
  const routes = await openRoutes(reachable);
  try {
    const forward = [
      process.execPath,
      routes.forwarder,
      ...routes.sockets.flatMap((socket, index) => [
        socket,
        `${reachable[index]!.host}:${reachable[index]!.port}`,
      ]),
    ];
    return await runLocally([...isolated, ...forward, "--", "/bin/bash", "-c", command], options, false);
  } finally {
    await routes.close();
  }
}

/**
 * The forwarder inside the namespace: listens on each route's address and pipes every
 * connection to the unix socket beside it, then runs the command and exits with its code.
 */
const forwarderSource = `import { spawn } from "node:child_process";
import { connect, createServer } from "node:net";
const args = process.argv.slice(2);
const split = args.indexOf("--");
const pairs = args.slice(0, split);
const servers = [];
for (let index = 0; index < pairs.length; index += 2) {
  const socket = pairs[index];
  const at = pairs[index + 1];
  const host = at.slice(0, at.lastIndexOf(":"));
  const port = Number(at.slice(at.lastIndexOf(":") + 1));
  const server = createServer((client) => {
    const upstream = connect(socket);
    const close = () => { client.destroy(); upstream.destroy(); };
    upstream.on("error", close);
    client.on("error", close);
    client.pipe(upstream).pipe(client);
  });
  await new Promise((resolve, reject) => { server.once("error", reject); server.listen(port, host, resolve); });
  servers.push(server);
}
const [program, ...rest] = args.slice(split + 1);
const child = spawn(program, rest, { stdio: "inherit" });
child.on("exit", (code, signal) => process.exit(code ?? 128 + (signal === "SIGKILL" ? 9 : 15)));
`;

/** Unix sockets on this machine, one a route, each piping to the route's TCP address. */
async function openRoutes(
  reachable: readonly LocalRoute[],
): Promise<{ readonly forwarder: string; readonly sockets: readonly string[]; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "lsfake-routes-"));
  const forwarder = join(dir, "forward.mjs");
  await writeFile(forwarder, forwarderSource);
  const servers: Server[] = [];
  const sockets = reachable.map((_, index) => join(dir, `route-${index}.sock`));
  for (const [index, route] of reachable.entries()) {
    const server = createServer((inside) => {
      const outside = connect(route.port, route.host);
      const close = (): void => {
        inside.destroy();
        outside.destroy();
      };
      outside.on("error", close);
      inside.on("error", close);
      inside.pipe(outside).pipe(inside);
    });
    await new Promise<void>((resolve) => server.listen(sockets[index]!, resolve));
    servers.push(server);
  }
  return {
    forwarder,
    sockets,
    async close() {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function runLocally(
  argv: readonly string[],
  options: RemoteRunOptions,
  network: boolean,
): Promise<RemoteRunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd ?? "/",
      env: fakeBaseEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(chunk);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(chunk);
    });
    child.on("error", (error) =>
      reject(
        network
          ? error
          : new Error(`The offline fake needs bubblewrap to run without network: ${error.message}`),
      ),
    );
    child.on("close", (code, signal) => {
      resolve({
        exitCode: code ?? (signal === null ? 1 : 128 + (signal === "SIGKILL" ? 9 : 15)),
        stdout,
        stderr,
      });
    });
  });
}
