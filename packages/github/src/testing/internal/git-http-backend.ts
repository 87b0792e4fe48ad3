import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Where git's helpers live (`git --exec-path`), found once. */
export function gitExecPath(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["--exec-path"], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(output.trim()) : reject(new Error("git --exec-path failed")),
    );
  });
}

/**
 * Serves one request of git's smart HTTP protocol for the bare repository `repository` by
 * running `git http-backend` as a CGI program. `pathInfo` is the path below the repository
 * (`/info/refs`, `/git-receive-pack`). Pushes are allowed (an authenticated REMOTE_USER).
 */
export function serveGit(
  execPath: string,
  repository: string,
  pathInfo: string,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const url = new URL(request.url ?? "/", "http://fake");
  const header = (name: string): string => {
    const value = request.headers[name];
    return Array.isArray(value) ? (value[0] ?? "") : (value ?? "");
  };
  const child = spawn(`${execPath}/git-http-backend`, [], {
    stdio: ["pipe", "pipe", "ignore"],
    env: {
      GIT_EXEC_PATH: execPath,
      GIT_CONFIG_NOSYSTEM: "1",
      HOME: repository,
      GIT_PROJECT_ROOT: repository,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: pathInfo,
      REQUEST_METHOD: request.method ?? "GET",
      QUERY_STRING: url.search.replace(/^\?/, ""),
      CONTENT_TYPE: header("content-type"),
      HTTP_CONTENT_ENCODING: header("content-encoding"),
      GIT_PROTOCOL: header("git-protocol"),
      REMOTE_USER: "x-access-token",
      REMOTE_ADDR: "127.0.0.1",
    },
  });
  request.pipe(child.stdin);
  let buffered = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on("data", (chunk: Buffer) => {
    if (headersDone) {
      response.write(chunk);
      return;
    }
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf("\r\n\r\n");
    if (end < 0) return;
    headersDone = true;
    writeHead(response, buffered.subarray(0, end).toString("latin1"));
    response.write(buffered.subarray(end + 4));
  });
  child.on("close", () => {
    if (!headersDone) response.writeHead(502).end("git http-backend produced no response");
    else response.end();
  });
  child.on("error", () => {
    if (!response.headersSent) response.writeHead(500);
    response.end();
  });
}

function writeHead(response: ServerResponse, head: string): void {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 200;
    else headers[name] = value;
  }
  response.writeHead(status, headers);
}
