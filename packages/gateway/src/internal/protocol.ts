import type { Completion, ModelRequest } from "@longshot/llm";
import { z } from "zod";

/** One server-sent event; `event:` is left out when `event` is undefined (chat completions). */
export interface SseEvent {
  readonly event: string | undefined;
  readonly data: string;
}

/** A JSON-data event. */
export function jsonEvent(event: string | undefined, data: unknown): SseEvent {
  return { event, data: JSON.stringify(data) };
}

/** The bytes of one event on the wire, ending with the blank line. */
export function formatSse(event: SseEvent): string {
  const name = event.event === undefined ? "" : `event: ${event.event}\n`;
  return `${name}data: ${event.data}\n\n`;
}

/** A client request the gateway answers with an HTTP error (400 unless said otherwise). */
export class GatewayRequestError extends Error {
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message);
    this.status = status;
  }
}

/** A request in the pool's terms, plus what its reply must echo. */
export interface ParsedCall {
  /** The request without `model`: the grant decides the model. */
  readonly request: ModelRequest;
  readonly stream: boolean;
  /** The model name the client sent, echoed back so the client sees what it asked for. */
  readonly requestedModel: string;
  /** Chat completions: `stream_options.include_usage`. */
  readonly includeUsage: boolean;
  /** Responses API: tools declared as `custom` (free-form input), called back as such. */
  readonly customTools: ReadonlySet<string>;
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
  /** Normalizes a request body; throws {@link GatewayRequestError} when it is invalid. */
  parse(body: unknown): ParsedCall;
  renderer(call: ParsedCall, meta: ReplyMeta): ReplyRenderer;
  /** An error body in the shape the protocol's SDKs read the message from. */
  errorBody(kind: ErrorKind, message: string): unknown;
  /** Keeps a quiet stream alive while the model works (an SSE comment or a ping event). */
  readonly heartbeat: string;
}

/** Parses with a zod schema, turning a mismatch into a {@link GatewayRequestError}. */
export function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success)
    throw new GatewayRequestError(`Invalid request body: ${z.prettifyError(result.error)}`);
  return result.data;
}

/**
 * Plain text of any content shape: a string, or parts carrying `text` (nested `content` too).
 * Images and files, which the pool's chat messages cannot carry, become a short placeholder.
 */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map(textOf)
      .filter((text) => text !== "")
      .join("\n");
  if (typeof content === "object" && content !== null) {
    if ("text" in content && typeof content.text === "string") return content.text;
    if ("content" in content) return textOf(content.content);
    if ("type" in content && typeof content.type === "string" && /image|file|document/.test(content.type))
      return `[${content.type} omitted]`;
  }
  return "";
}

/** A JSON Schema object, or an empty object schema for anything else. */
export function schemaOf(value: unknown): Readonly<Record<string, unknown>> {
  const result = z.record(z.string(), z.unknown()).safeParse(value);
  return result.success ? result.data : { type: "object", properties: {} };
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
