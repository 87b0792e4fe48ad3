import { APIError } from "openai";
import { serverDelayMs } from "./retry-delay.js";

/** Why an attempt failed, and therefore what to do next. */
export type AttemptFailure =
  /** The caller cancelled. Stop. */
  | { readonly kind: "abort" }
  /** 429: wait as the server asks (shared by every caller of the endpoint), then retry. */
  | {
      readonly kind: "rate-limit";
      readonly status: 429;
      readonly delayMs: number | undefined;
      readonly message: string;
    }
  /** 5xx, 408, 409: the endpoint is unwell; retry, preferably elsewhere. */
  | { readonly kind: "server"; readonly status: number; readonly message: string }
  /** No reply in time, or a stream that went silent: retry, preferably elsewhere. */
  | { readonly kind: "timeout"; readonly message: string }
  /** Refused or dropped connection, a stream cut short or garbled: retry, preferably elsewhere. */
  | { readonly kind: "connection"; readonly message: string }
  /** 401, 403, 404: this endpoint will not serve the request; another one might. */
  | { readonly kind: "endpoint-rejected"; readonly status: number; readonly message: string }
  /** Any other 4xx: the request itself is wrong; retrying cannot help. */
  | { readonly kind: "rejected"; readonly status: number; readonly message: string };

export interface FailureContext {
  /** The caller's signal. */
  readonly signal: AbortSignal;
  /** Set when the watchdog cut the attempt, with its reason. */
  readonly timedOut: string | null;
  readonly now: number;
}

/** Sorts a thrown value (or a stream that ended early, `error === undefined`) into a failure. */
export function classifyFailure(error: unknown, context: FailureContext): AttemptFailure {
  if (context.signal.aborted) return { kind: "abort" };
  if (context.timedOut !== null) return { kind: "timeout", message: context.timedOut };
  if (error === undefined)
    return { kind: "connection", message: "the stream ended before the reply was complete" };
  if (error instanceof APIError && typeof error.status === "number") {
    const status = error.status;
    const message = `HTTP ${status}: ${error.message}`;
    if (status === 429)
      return { kind: "rate-limit", status, delayMs: serverDelayMs(error.headers, context.now), message };
    if (status >= 500 || status === 408 || status === 409) return { kind: "server", status, message };
    if (status === 401 || status === 403 || status === 404)
      return { kind: "endpoint-rejected", status, message };
    return { kind: "rejected", status, message };
  }
  const name = error instanceof Error ? error.name : "Error";
  if (name === "APIConnectionTimeoutError")
    return { kind: "timeout", message: "no response before the request timeout" };
  return { kind: "connection", message: describe(error) };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

/** Whether a failure counts against the endpoint's health (opens its circuit when repeated). */
export function isEndpointFault(failure: AttemptFailure): boolean {
  return failure.kind === "server" || failure.kind === "timeout" || failure.kind === "connection";
}
