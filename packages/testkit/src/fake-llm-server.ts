import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Clock, InternalError, messageOf, systemClock } from "@longshot/core";
import { WireRequestError } from "@longshot/wire";
import { assertPolicyDone, type FakePolicy, replyOf, UnexpectedCallError } from "./fake-policy.js";
import type { FakeReply } from "./fake-reply.js";
import { createFakeRequest, type FakeProtocol, type FakeRequest } from "./fake-request.js";
import { type ProtocolKit, protocolsByPath } from "./internal/protocols.js";
import { type ErrorKind, renderErrorBody } from "./internal/render-error.js";
import { FakeReplySchema } from "./internal/reply-schema.js";
import { sendJson, serveReply } from "./internal/serve-reply.js";

/** Options of {@link startFakeLlm}. */
export interface FakeLlmOptions {
  /** Decides every reply. */
  readonly policy: FakePolicy;
  /** Model ids `GET /v1/models` lists. Default: `["fake-model"]`. */
  readonly models?: readonly string[];
  /** Port on 127.0.0.1; default 0 (an ephemeral port). */
  readonly port?: number;
  /** Milliseconds to wait before answering each request (after it is recorded). */
  readonly latency?: (request: FakeRequest) => number;
  /** Source of `receivedAt`, `created` and every wait. Default: the system clock. */
  readonly clock?: Clock;
  /** Largest number of characters in one streamed text or argument delta. Default 16. */
  readonly chunkChars?: number;
  /** Aborting it closes the server, as `close()` does. */
  readonly signal?: AbortSignal;
}

/** A running fake model server. */
export interface FakeLlmServer {
  /** Base URL for OpenAI clients, e.g. `http://127.0.0.1:43123/v1`. */
  readonly url: string;
  /** Base URL for Anthropic clients (they add `/v1/messages` themselves). */
  readonly origin: string;
  readonly port: number;
  /** Every model request received, in arrival order (invalid bodies are not recorded). */
  readonly requests: readonly FakeRequest[];
  /** One sentence per call that went wrong: unexpected calls, policy errors, bad requests. */
  readonly failures: readonly string[];
  /** Throws when there are failures or the policy has steps left unused. */
  assertDone(): void;
  /** Stops listening and drops every open connection, including hanging ones. Idempotent. */
  close(): Promise<void>;
}

interface ServerState {
  readonly options: FakeLlmOptions;
  readonly clock: Clock;
  readonly requests: FakeRequest[];
  readonly failures: string[];
  readonly closing: AbortController;
}

function headerRecord(message: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

async function readBody(message: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

function refuse(
  state: ServerState,
  response: ServerResponse,
  protocol: FakeProtocol,
  failure: { status: number; kind: ErrorKind; message: string },
): void {
  state.failures.push(failure.message);
  sendJson(response, failure.status, renderErrorBody(protocol, failure.kind, failure.message), {
    "x-should-retry": "false",
  });
}

function serveModels(state: ServerState, path: string, response: ServerResponse): void {
  const created = Math.floor(state.clock.now() / 1000);
  const models = (state.options.models ?? ["fake-model"]).map((id) => ({
    id,
    object: "model",
    created,
    owned_by: "longshot-testkit",
  }));
  if (path === "/v1/models") {
    sendJson(response, 200, { object: "list", data: models });
    return;
  }
  const wanted = decodeURIComponent(path.slice("/v1/models/".length));
  const model = models.find((entry) => entry.id === wanted);
  if (model === undefined) {
    sendJson(response, 404, renderErrorBody("chat", "not-found", `The model '${wanted}' does not exist.`));
    return;
  }
  sendJson(response, 200, model);
}

function describe(request: FakeRequest): string {
  const role = request.role === undefined ? "" : `, role ${request.role}`;
  return `request #${request.index} (${request.protocol}, model ${request.model}${role})`;
}

/** Asks the policy, turning a throw or an invalid reply into a recorded failure. */
async function decide(state: ServerState, request: FakeRequest): Promise<FakeReply | string> {
  let reply: unknown;
  try {
    reply = await replyOf(state.options.policy, request);
  } catch (error) {
    if (error instanceof UnexpectedCallError) return error.message;
    return `The policy threw on ${describe(request)}: ${messageOf(error)}`;
  }
  const checked = FakeReplySchema.safeParse(reply);
  if (!checked.success)
    return `The policy returned an invalid reply for ${describe(request)}: ${checked.error.message}`;
  return checked.data;
}

async function serveModelCall(
  state: ServerState,
  kit: ProtocolKit,
  message: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const text = await readBody(message);
  let body: unknown;
  let parsed: ReturnType<ProtocolKit["parse"]>;
  try {
    body = JSON.parse(text);
    parsed = kit.parse(body);
  } catch (error) {
    const reason = error instanceof WireRequestError ? error.message : "The request body is not valid JSON.";
    refuse(state, response, kit.protocol, {
      status: 400,
      kind: "bad-request",
      message: `POST ${message.url}: ${reason}`,
    });
    return;
  }
  const headers = headerRecord(message);
  const request = createFakeRequest({
    ...parsed,
    index: state.requests.length,
    protocol: kit.protocol,
    path: new URL(message.url ?? "/", "http://fake").pathname,
    headers,
    role: headers["x-longshot-role"],
    body,
    receivedAt: state.clock.now(),
  });
  state.requests.push(request);
  const signal = AbortSignal.any([state.closing.signal, closeSignal(response)]);
  const latency = state.options.latency?.(request) ?? 0;
  if (latency > 0) {
    try {
      await state.clock.sleep(latency, signal);
    } catch {
      response.destroy();
      return;
    }
  }
  const reply = await decide(state, request);
  if (typeof reply === "string") {
    refuse(state, response, kit.protocol, { status: 500, kind: "server", message: reply });
    return;
  }
  const exchange = {
    request,
    kit,
    response,
    signal,
    clock: state.clock,
    chunkChars: state.options.chunkChars ?? 16,
  };
  await serveReply(exchange, reply);
}

/** Aborts when the response is finished or its connection goes away. */
function closeSignal(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once("close", () => controller.abort());
  return controller.signal;
}

async function route(state: ServerState, message: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(message.url ?? "/", "http://fake").pathname.replace(/\/+$/, "");
  const kit = protocolsByPath.get(path);
  if (message.method === "POST" && kit !== undefined) {
    await serveModelCall(state, kit, message, response);
  } else if (message.method === "GET" && (path === "/v1/models" || path.startsWith("/v1/models/"))) {
    serveModels(state, path, response);
  } else {
    message.resume();
    refuse(state, response, "chat", {
      status: 404,
      kind: "not-found",
      message: `The fake server does not serve ${message.method} ${message.url}.`,
    });
  }
}

/**
 * Starts a fake model server on 127.0.0.1 speaking OpenAI Chat Completions
 * (`/v1/chat/completions`), OpenAI Responses (`/v1/responses`) and Anthropic Messages
 * (`/v1/messages`). Every request is normalized into a {@link FakeRequest}, answered by the
 * policy, and rendered in the protocol it came in. Rejects when the port cannot be bound.
 */
export async function startFakeLlm(options: FakeLlmOptions): Promise<FakeLlmServer> {
  const state: ServerState = {
    options,
    clock: options.clock ?? systemClock,
    requests: [],
    failures: [],
    closing: new AbortController(),
  };
  const server = createServer((message, response) => {
    route(state, message, response).catch((error: unknown) => {
      state.failures.push(`The fake server failed on ${message.method} ${message.url}: ${messageOf(error)}`);
      if (response.headersSent) response.destroy();
      else
        sendJson(response, 500, renderErrorBody("chat", "server", messageOf(error)), {
          "x-should-retry": "false",
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      state.closing.abort();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };
  options.signal?.addEventListener("abort", () => void close(), { once: true });
  if (options.signal?.aborted) await close();
  return {
    url: `http://127.0.0.1:${port}/v1`,
    origin: `http://127.0.0.1:${port}`,
    port,
    requests: state.requests,
    failures: state.failures,
    assertDone(): void {
      const problems = [...state.failures];
      try {
        assertPolicyDone(options.policy);
      } catch (error) {
        for (const line of messageOf(error).split("\n")) if (!problems.includes(line)) problems.push(line);
      }
      if (problems.length > 0) {
        throw new InternalError(`The fake LLM was not used as planned:\n${problems.join("\n")}`);
      }
    },
    close,
  };
}
