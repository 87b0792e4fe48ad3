import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { messageOf, silentLogger, UserError } from "@longshot/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { type CreateMcpServerOptions, createMcpServer } from "./create-mcp-server.js";
import type { RunService } from "./run-service.js";

export interface HttpServeOptions extends CreateMcpServerOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** Bearer token every request must carry (`Authorization: Bearer <token>`); at least 16 characters. */
  readonly token: string;
  /** Largest request body accepted, in bytes; default 4 MiB. */
  readonly maxBodyBytes?: number;
}

/** A listening streamable HTTP MCP endpoint. */
export interface HttpMcpServer {
  /** The endpoint, such as `http://127.0.0.1:43123/mcp`. */
  readonly url: string;
  readonly port: number;
  /** Closes every session and stops listening; runs keep going in the service. */
  close(): Promise<void>;
}

interface Session {
  readonly transport: StreamableHTTPServerTransport;
  readonly server: McpServer;
}

const host = "127.0.0.1";
const path = "/mcp";

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

function reply(
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) return;
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

async function readJson(request: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new UserError(`The request body is larger than ${limit} bytes.`);
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw new UserError("The request body is not valid JSON.");
  }
}

/**
 * Serves MCP over streamable HTTP on 127.0.0.1 at `/mcp`, one MCP server per session. Every
 * request must carry `Authorization: Bearer <token>`; one without it (or with another token) gets
 * 401 before it reaches MCP. Host headers other than 127.0.0.1 and localhost are refused (DNS
 * rebinding protection).
 *
 * @throws UserError when the token is shorter than 16 characters or the port is taken.
 */
export async function serveHttp(service: RunService, options: HttpServeOptions): Promise<HttpMcpServer> {
  if (options.token.length < 16) {
    throw new UserError(
      "The HTTP transport needs a bearer token of at least 16 characters; pass a longer --token.",
    );
  }
  const logger = options.logger ?? silentLogger();
  const expected = digest(`Bearer ${options.token}`);
  const limit = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const sessions = new Map<string, Session>();
  let port = 0;

  const open = async (): Promise<Session> => {
    const server = createMcpServer(service, options);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, session),
      enableDnsRebindingProtection: true,
      allowedHosts: [`${host}:${port}`, `localhost:${port}`],
    });
    const session: Session = { transport, server };
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return session;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const given = request.headers.authorization;
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      reply(response, 401, "Missing or wrong bearer token; send Authorization: Bearer <token>.", {
        "www-authenticate": 'Bearer realm="longshot"',
      });
      return;
    }
    if (new URL(request.url ?? "/", `http://${host}`).pathname !== path) {
      reply(response, 404, `Not found; the MCP endpoint is ${path}.`);
      return;
    }
    const id = request.headers["mcp-session-id"];
    const sessionId = Array.isArray(id) ? id[0] : id;
    const body = request.method === "POST" ? await readJson(request, limit) : undefined;
    let session = sessionId === undefined ? undefined : sessions.get(sessionId);
    if (sessionId !== undefined && !session) {
      reply(response, 404, "Unknown or closed session; initialize a new one.");
      return;
    }
    if (!session) {
      if (request.method !== "POST" || !isInitializeRequest(body)) {
        reply(response, 400, "No session; start with an initialize request.");
        return;
      }
      session = await open();
    }
    await session.transport.handleRequest(request, response, body);
  };

  const http = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof UserError) {
        reply(response, 400, error.message);
        return;
      }
      logger.error({ error: messageOf(error) }, "MCP HTTP request failed");
      reply(response, 500, "Internal server error; see the server log.");
    });
  });
  http.listen(options.port, host);
  try {
    await Promise.race([
      once(http, "listening"),
      once(http, "error").then(([error]) => Promise.reject(error)),
    ]);
  } catch (error) {
    throw new UserError(
      `Cannot listen on ${host}:${options.port} (${messageOf(error)}); choose another --port.`,
      {
        cause: error,
      },
    );
  }
  port = (http.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}${path}`,
    port,
    close: async () => {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(open.map((session) => session.server.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
