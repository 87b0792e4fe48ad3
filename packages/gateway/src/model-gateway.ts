import { createHash, randomBytes, randomUUID } from "node:crypto";
import { chmodSync, mkdirSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname } from "node:path";
import { type Clock, type Logger, messageOf, silentLogger, systemClock, UserError } from "@longshot/core";
import type { LanguageModel } from "@longshot/llm";
import { WireRequestError } from "@longshot/wire";
import { type GatewayGrant, GatewaySession } from "./gateway-session.js";
import { GatewayRequestError } from "./internal/protocol.js";
import { type Route, readJson, routeOf, sendJson, tokenOf } from "./internal/route-request.js";
import { sendError, serveCall } from "./internal/serve-call.js";

/** Options of {@link ModelGateway.start}. */
export interface ModelGatewayOptions {
  /** The pool every call is forwarded to (routing, failover, 429s, budgets, metering, events). */
  readonly model: LanguageModel;
  /**
   * Unix socket the gateway listens on (at most 107 bytes). Its directory is created private
   * (0700); the socket itself is bound into sandboxes at the same path.
   */
  readonly socketPath: string;
  /** Also listen on TCP (`127.0.0.1` and a free port by default): for remote sandboxes and tools. */
  readonly tcp?: { readonly host?: string; readonly port?: number };
  /** Output tokens a CLI may ask for per call, at most (LLM_MAX_TOKENS). */
  readonly maxOutputTokens?: number;
  /** Largest request body accepted; default 64 MiB. */
  readonly maxBodyBytes?: number;
  /** Milliseconds between keep-alive frames of a quiet stream; default 15 s. */
  readonly heartbeatMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Source of per-sandbox tokens; default 32 random bytes. */
  readonly newToken?: () => string;
}

const hashOf = (token: string): string => createHash("sha256").update(token).digest("hex");

/**
 * The per-run model gateway: the only way a sandboxed coding CLI reaches a model. It speaks
 * OpenAI chat completions, the Responses API and Anthropic Messages (streamed or not) on a unix
 * socket, authenticates each sandbox by its own short-lived token bound to one task attempt,
 * and forwards every call to the pool as chat completions: the pool holds the keys and
 * endpoints, checks budgets, meters the call into the ledger and records it as events. Calls
 * past the attempt's turn or token limit, or over a budget, are refused with an HTTP 403 whose
 * message says why.
 */
export class ModelGateway {
  readonly socketPath: string;
  /** `http://host:port` when listening on TCP too, else null. */
  readonly url: string | null;
  readonly #options: ModelGatewayOptions;
  readonly #servers: readonly Server[];
  readonly #sessions = new Map<string, GatewaySession>();
  readonly #clock: Clock;
  readonly #logger: Logger;

  private constructor(options: ModelGatewayOptions, servers: readonly Server[], url: string | null) {
    this.#options = options;
    this.socketPath = options.socketPath;
    this.#servers = servers;
    this.url = url;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger();
  }

  /** Starts listening. Throws `UserError` when the socket cannot be created. */
  static async start(options: ModelGatewayOptions): Promise<ModelGateway> {
    if (Buffer.byteLength(options.socketPath) > 107) {
      throw new UserError(
        `The gateway socket path ${options.socketPath} is longer than 107 bytes; use a shorter directory.`,
      );
    }
    mkdirSync(dirname(options.socketPath), { recursive: true, mode: 0o700 });
    rmSync(options.socketPath, { force: true });
    let gateway: ModelGateway | null = null;
    const handler = (request: IncomingMessage, response: ServerResponse): void => {
      if (gateway !== null) void gateway.#handle(request, response);
      else response.destroy();
    };
    const servers = [createServer(handler)];
    await listen(servers[0]!, options.socketPath);
    // Sandboxes may run as another user; the token, not the file mode, is the lock.
    chmodSync(options.socketPath, 0o666);
    let url: string | null = null;
    if (options.tcp !== undefined) {
      const tcp = createServer(handler);
      const host = options.tcp.host ?? "127.0.0.1";
      const port = options.tcp.port ?? 0;
      try {
        await listen(tcp, { host, port });
      } catch (error) {
        await new Promise((resolve) => servers[0]?.close(resolve));
        rmSync(options.socketPath, { force: true });
        const where = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
        throw new UserError(
          `The model gateway cannot listen on ${where} (${messageOf(error)}); free that port or set GATEWAY_LISTEN to another address.`,
          { cause: error },
        );
      }
      servers.push(tcp);
      const bound = host.includes(":") ? `[${host}]` : host;
      url = `http://${bound}:${(tcp.address() as AddressInfo).port}`;
    }
    gateway = new ModelGateway(options, servers, url);
    return gateway;
  }

  /** Sessions whose token still works. */
  get liveSessions(): number {
    return this.#sessions.size;
  }

  /** Issues a token for one attempt. Close the session when the attempt ends. */
  open(grant: GatewayGrant): GatewaySession {
    const token = this.#options.newToken?.() ?? `lsgw_${randomBytes(32).toString("base64url")}`;
    const key = hashOf(token);
    const session = new GatewaySession({
      token,
      socketPath: this.socketPath,
      grant,
      expiresAt: this.#clock.now() + grant.ttlMs,
      onClose: () => this.#sessions.delete(key),
    });
    this.#sessions.set(key, session);
    return session;
  }

  /** Revokes every token and stops listening; calls in flight are cancelled. */
  async close(): Promise<void> {
    for (const session of [...this.#sessions.values()]) session.close();
    await Promise.all(
      this.#servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
    rmSync(this.socketPath, { force: true });
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const route = routeOf(request.method, request.url);
    try {
      await this.#serve(route, request, response);
    } catch (error) {
      if (error instanceof GatewayRequestError || error instanceof WireRequestError) {
        sendError(response, route.protocol, "invalid-request", error.message);
        return;
      }
      this.#logger.warn({ error: messageOf(error), url: request.url }, "gateway request failed");
      sendError(response, route.protocol, "server", `The model gateway failed: ${messageOf(error)}`);
    }
  }

  async #serve(route: Route, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { protocol } = route;
    const session = this.#authenticate(request);
    if (typeof session === "string") {
      this.#logger.warn({ url: request.url, reason: session }, "gateway refused an unauthenticated call");
      sendError(response, protocol, "authentication", session);
      return;
    }
    switch (route.kind) {
      case "unknown":
        sendError(
          response,
          protocol,
          "not-found",
          `The model gateway has no ${request.method} ${request.url}.`,
        );
        return;
      case "models": {
        const id = session.grant.model;
        sendJson(response, {
          object: "list",
          data: [{ id, object: "model", type: "model", created: 0, owned_by: "longshot", display_name: id }],
        });
        return;
      }
      case "count-tokens": {
        const body = await readJson(request, this.#options.maxBodyBytes ?? 64 * 1024 * 1024);
        sendJson(response, { input_tokens: Math.ceil(JSON.stringify(body).length / 4) });
        return;
      }
      case "call":
        break;
    }
    const call = protocol.parse(await readJson(request, this.#options.maxBodyBytes ?? 64 * 1024 * 1024));
    const refusal = session.admit();
    if (refusal !== null) {
      sendError(response, protocol, "permission", refusal.message);
      return;
    }
    await serveCall({
      model: this.#options.model,
      protocol,
      session,
      call,
      meta: { id: randomUUID().replaceAll("-", ""), created: Math.floor(this.#clock.now() / 1000) },
      response,
      maxOutputTokens: this.#options.maxOutputTokens,
      heartbeatMs: this.#options.heartbeatMs ?? 15_000,
    });
  }

  /** The session of a request's token, or why there is none. */
  #authenticate(request: IncomingMessage): GatewaySession | string {
    const token = tokenOf(request);
    if (token === null) return "The model gateway needs the sandbox's token as a bearer token or x-api-key.";
    const session = this.#sessions.get(hashOf(token));
    if (session === undefined)
      return "The model gateway does not know this token (it was never issued or its attempt is over).";
    if (this.#clock.now() >= session.expiresAt) {
      session.close();
      return "This sandbox's gateway token has expired.";
    }
    return session;
  }
}

function listen(server: Server, address: string | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    const done = (): void => {
      server.off("error", reject);
      resolve();
    };
    if (typeof address === "string") server.listen(address, done);
    else server.listen(address.port, address.host, done);
  });
}
