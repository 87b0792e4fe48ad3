import type { ServerResponse } from "node:http";
import { AbortError, messageOf } from "@longshot/core";
import type { CompletionResult, LanguageModel, ModelDelta } from "@longshot/llm";
import { formatSse, type WireCall } from "@longshot/wire";
import type { GatewaySession } from "../gateway-session.js";
import type { ErrorKind, GatewayProtocol, ReplyMeta, ReplyRenderer } from "./protocol.js";

/** What serving one model call needs. */
export interface ServeCallContext {
  readonly model: LanguageModel;
  readonly protocol: GatewayProtocol;
  readonly session: GatewaySession;
  readonly call: WireCall;
  readonly meta: ReplyMeta;
  readonly response: ServerResponse;
  /** Output tokens a call may ask for at most (LLM_MAX_TOKENS); none when absent. */
  readonly maxOutputTokens: number | undefined;
  readonly heartbeatMs: number;
}

/** HTTP status of each error kind. */
export const statusOf: Record<ErrorKind, number> = {
  "invalid-request": 400,
  authentication: 401,
  permission: 403,
  "not-found": 404,
  overloaded: 503,
  server: 502,
};

/** Sends a protocol-shaped JSON error and ends the response. */
export function sendError(
  response: ServerResponse,
  protocol: GatewayProtocol,
  kind: ErrorKind,
  message: string,
): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const body = JSON.stringify(protocol.errorBody(kind, message));
  // Refusals are final: tell SDKs that honour it not to retry them.
  const retry = kind === "overloaded" ? "true" : "false";
  response.writeHead(statusOf[kind], { "content-type": "application/json", "x-should-retry": retry });
  response.end(body);
}

/**
 * Forwards one admitted call to the pool and answers it in the client's protocol. The reply is
 * rendered once the pool's call has finished (so a retry on another endpoint never shows as a
 * half-written reply); a streamed request gets its headers and opening events as soon as the
 * model starts, and keep-alive frames while it works. Usage is added to the session; a budget
 * refusal ends the session.
 */
export async function serveCall(context: ServeCallContext): Promise<void> {
  const { session, call, response } = context;
  const gone = new AbortController();
  response.on("close", () => {
    if (!response.writableFinished) gone.abort();
  });
  const signal = AbortSignal.any([gone.signal, session.closedSignal]);
  const cap = context.maxOutputTokens;
  const asked = call.request.maxTokens;
  const maxTokens = cap === undefined ? asked : Math.min(asked ?? cap, cap);
  const request = {
    ...call.request,
    model: session.grant.model,
    ...(maxTokens === undefined ? {} : { maxTokens }),
  };
  const { grant } = session;
  const renderer = context.protocol.renderer(call, context.meta);
  const stream = new ReplyStream(context, renderer);
  try {
    const deltas: AsyncIterable<ModelDelta> = context.model.stream(request, {
      role: grant.role ?? "worker",
      runId: grant.runId,
      taskId: grant.taskId,
      attempt: grant.attempt,
      signal,
    });
    for await (const delta of deltas) {
      session.touch();
      if (delta.type === "finish") {
        stream.finish(delta.result);
        return;
      }
      if (call.stream) stream.start();
    }
  } catch (error) {
    if (error instanceof AbortError || signal.aborted) {
      response.destroy();
      return;
    }
    stream.fail("server", `The model gateway failed: ${messageOf(error)}`);
  } finally {
    stream.stop();
  }
}

/** The response of one call: headers once, opening events, heartbeats, then the reply. */
class ReplyStream {
  readonly #context: ServeCallContext;
  readonly #renderer: ReplyRenderer;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(context: ServeCallContext, renderer: ReplyRenderer) {
    this.#context = context;
    this.#renderer = renderer;
  }

  start(): void {
    const { response } = this.#context;
    if (response.headersSent) return;
    response.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    for (const event of this.#renderer.open()) response.write(formatSse(event));
    this.#heartbeat = setInterval(
      () => response.write(this.#context.protocol.heartbeat),
      this.#context.heartbeatMs,
    );
    this.#heartbeat.unref();
  }

  finish(result: CompletionResult): void {
    const { session, response, call } = this.#context;
    if (!result.ok && result.kind === "budget") {
      const refusal = session.refuse({
        kind: "budget",
        message: `Longshot stopped this attempt: ${result.message}`,
      });
      this.fail("permission", refusal.message);
      return;
    }
    session.addUsage(result.usage);
    if (!result.ok) {
      const kind: ErrorKind = result.retryable
        ? "overloaded"
        : result.status !== null && result.status >= 400 && result.status < 500
          ? "invalid-request"
          : "server";
      this.fail(kind, `The model call failed: ${result.error}`);
      return;
    }
    if (!call.stream) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(this.#renderer.body(result)));
      return;
    }
    this.start();
    this.stop();
    for (const event of this.#renderer.finish(result)) response.write(formatSse(event));
    response.end();
  }

  fail(kind: ErrorKind, message: string): void {
    const { response, protocol } = this.#context;
    this.stop();
    if (!response.headersSent) {
      sendError(response, protocol, kind, message);
      return;
    }
    for (const event of this.#renderer.fail(kind, message)) response.write(formatSse(event));
    response.end();
  }

  stop(): void {
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }
}
