import type { ServerResponse } from "node:http";
import { assertNever, type Clock } from "@longshot/core";
import { formatSse } from "@longshot/wire";
import type {
  CutFault,
  FakeContentReply,
  FakeReply,
  RateLimitFault,
  ServerErrorFault,
} from "../fake-reply.js";
import type { FakeProtocol, FakeRequest } from "../fake-request.js";
import { prepareReply } from "./prepare-reply.js";
import type { ProtocolKit } from "./protocols.js";
import { renderErrorBody } from "./render-error.js";

/** One request being answered. */
export interface Exchange {
  readonly request: FakeRequest;
  readonly kit: ProtocolKit;
  readonly response: ServerResponse;
  /** Aborted when the client goes away or the server closes. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly chunkChars: number;
}

const fillerReply: FakeContentReply = {
  text: "This reply stops part of the way through, as if the connection broke.",
};

const malformedEventNames: Record<FakeProtocol, string | undefined> = {
  chat: undefined,
  responses: "response.output_text.delta",
  anthropic: "content_block_delta",
};

const sseHeaders = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" };

/** Writes a JSON response. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Resolves once the data is handed to the socket (or the socket is already gone). */
function write(response: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    response.write(data, () => resolve());
  });
}

/** Resolves when the signal aborts; used to wait for a client that is never answered. */
function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

function headersOf(exchange: Exchange): Record<string, string> {
  return { "x-request-id": `req_fake${exchange.request.index}` };
}

function renderedStream(exchange: Exchange, reply: FakeContentReply): string[] {
  const prepared = prepareReply(exchange.request, reply, {
    now: exchange.clock.now(),
    chunkChars: exchange.chunkChars,
    toolIdPrefix: exchange.kit.toolIdPrefix,
  });
  return exchange.kit.renderStream(exchange.request, prepared).map(formatSse);
}

function renderedBody(exchange: Exchange, reply: FakeContentReply): string {
  const prepared = prepareReply(exchange.request, reply, {
    now: exchange.clock.now(),
    chunkChars: exchange.chunkChars,
    toolIdPrefix: exchange.kit.toolIdPrefix,
  });
  return JSON.stringify(exchange.kit.renderBody(exchange.request, prepared));
}

function serveContent(exchange: Exchange, reply: FakeContentReply): void {
  const { response } = exchange;
  if (exchange.request.stream) {
    response.writeHead(200, { ...sseHeaders, ...headersOf(exchange) });
    response.end(renderedStream(exchange, reply).join(""));
    return;
  }
  const body = renderedBody(exchange, reply);
  response.writeHead(200, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    ...headersOf(exchange),
  });
  response.end(body);
}

function serveRateLimit(exchange: Exchange, fault: RateLimitFault): void {
  const seconds = String(fault.retryAfterSeconds);
  const message = `Rate limit reached for ${exchange.request.model}. Please try again in ${seconds}s.`;
  sendJson(exchange.response, 429, renderErrorBody(exchange.kit.protocol, "rate-limit", message), {
    "retry-after": seconds,
    "x-ratelimit-limit-requests": "60",
    "x-ratelimit-remaining-requests": "0",
    "x-ratelimit-reset-requests": `${seconds}s`,
    "x-ratelimit-limit-tokens": "100000",
    "x-ratelimit-remaining-tokens": "0",
    "x-ratelimit-reset-tokens": `${seconds}s`,
    ...headersOf(exchange),
    ...fault.headers,
  });
}

function serveServerError(exchange: Exchange, fault: ServerErrorFault): void {
  const message = fault.message ?? `The fake server answered ${fault.status} on purpose.`;
  sendJson(exchange.response, fault.status, renderErrorBody(exchange.kit.protocol, "server", message), {
    ...headersOf(exchange),
  });
}

async function serveHang(exchange: Exchange): Promise<void> {
  if (exchange.request.stream) {
    exchange.response.writeHead(200, { ...sseHeaders, ...headersOf(exchange) });
    const opening = renderedStream(exchange, fillerReply)[0] ?? "";
    await write(exchange.response, opening);
  }
  await untilAborted(exchange.signal);
  exchange.response.destroy();
}

async function serveCut(exchange: Exchange, fault: CutFault): Promise<void> {
  const reply = fault.reply ?? fillerReply;
  const { response } = exchange;
  if (exchange.request.stream) {
    response.writeHead(200, { ...sseHeaders, ...headersOf(exchange) });
    await write(response, renderedStream(exchange, reply).slice(0, fault.afterChunks).join(""));
  } else {
    const body = renderedBody(exchange, reply);
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      ...headersOf(exchange),
    });
    await write(response, body.slice(0, Math.floor(body.length / 2)));
  }
  response.destroy();
}

function serveMalformed(exchange: Exchange): void {
  const { response } = exchange;
  if (exchange.request.stream) {
    response.writeHead(200, { ...sseHeaders, ...headersOf(exchange) });
    const [opening = ""] = renderedStream(exchange, fillerReply);
    const name = malformedEventNames[exchange.kit.protocol];
    response.end(
      `${opening}${name === undefined ? "" : `event: ${name}\n`}data: {"id": "broken", "delta": \n\n`,
    );
    return;
  }
  const body = `${renderedBody(exchange, fillerReply).slice(0, 40)} this is not JSON`;
  response.writeHead(200, { "content-type": "application/json", ...headersOf(exchange) });
  response.end(body);
}

/**
 * Answers one request with a reply or a fault. Resolves when the answer is complete or the
 * connection is gone; rejects only on a programming error.
 */
export async function serveReply(exchange: Exchange, reply: FakeReply): Promise<void> {
  if (!("fault" in reply)) {
    serveContent(exchange, reply);
    return;
  }
  switch (reply.fault) {
    case "rate-limit":
      return serveRateLimit(exchange, reply);
    case "server-error":
      return serveServerError(exchange, reply);
    case "delay":
      try {
        await exchange.clock.sleep(reply.ms, exchange.signal);
      } catch {
        exchange.response.destroy();
        return;
      }
      return serveReply(exchange, "reply" in reply ? reply.reply : reply.then);
    case "hang":
      return serveHang(exchange);
    case "cut":
      return serveCut(exchange, reply);
    case "malformed-json":
      return serveMalformed(exchange);
    default:
      return assertNever(reply, "Unknown fake reply");
  }
}
