import type { Completion } from "@longshot/llm";
import type { SseEvent, WireCall } from "@longshot/wire";

/** A client request the gateway answers with an HTTP error (400 unless said otherwise). */
export class GatewayRequestError extends Error {
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message);
    this.status = status;
  }
}

/** Identity of one reply on the wire. */
export interface ReplyMeta {
  /** Unique per call, used to derive the protocol's ids. */
  readonly id: string;
  /** Seconds since the epoch. */
  readonly created: number;
}

/** Error categories, each mapped to the protocol's own error type. */
export type ErrorKind =
  | "invalid-request"
  | "authentication"
  | "permission"
  | "not-found"
  | "overloaded"
  | "server";

/** Renders one call's reply in the protocol it arrived in. */
export interface ReplyRenderer {
  /** Events sent as soon as the stream starts, before the reply is known. */
  open(): readonly SseEvent[];
  /** The finished reply as the rest of the stream. */
  finish(completion: Completion): readonly SseEvent[];
  /** An error after the stream started. */
  fail(kind: ErrorKind, message: string): readonly SseEvent[];
  /** The finished reply as one JSON body (not streamed). */
  body(completion: Completion): unknown;
}

/** One wire protocol the gateway speaks to CLIs. */
export interface GatewayProtocol {
  readonly name: "chat" | "responses" | "anthropic";
  /** Normalizes a request body; throws `WireRequestError` (from `@longshot/wire`) when it is invalid. */
  parse(body: unknown): WireCall;
  renderer(call: WireCall, meta: ReplyMeta): ReplyRenderer;
  /** An error body in the shape the protocol's SDKs read the message from. */
  errorBody(kind: ErrorKind, message: string): unknown;
  /** Keeps a quiet stream alive while the model works (an SSE comment or a ping event). */
  readonly heartbeat: string;
}

/** A tool call's arguments as an object (Anthropic `input`); text that is not an object is wrapped. */
export function argumentsObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text === "" ? "{}" : text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return { ...value };
  } catch {
    // Not JSON: handed over as it came.
  }
  return { input: text };
}
