import type { Clock, Usage } from "@longshot/core";
import type { ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import type { ModelDelta } from "../model-result.js";
import { type AttemptFailure, classifyFailure } from "./classify-failure.js";
import { type AssembledReply, CompletionAssembler } from "./completion-assembler.js";
import type { EndpointState } from "./endpoint-state.js";
import { SseParser } from "./sse-parser.js";
import type { StreamWatchdog } from "./stream-watchdog.js";

/** How one attempt ended. */
export type AttemptEnd =
  | { readonly ok: true; readonly reply: AssembledReply }
  | { readonly ok: false; readonly failure: AttemptFailure; readonly usage: Usage | null };

export interface AttemptContext {
  readonly clock: Clock;
  readonly watchdog: StreamWatchdog;
  /** The caller's signal. */
  readonly signal: AbortSignal;
  readonly headers: Readonly<Record<string, string>>;
  readonly idleMs: number;
  readonly totalMs: number;
}

/** A stream that carried an error event instead of chunks. */
class StreamError extends Error {}

// Aborting with a ready-made reason spares a DOMException (and its stack trace) per call.
const watchdogReason = new Error("stream watchdog");
const cleanupReason = new Error("attempt over");

/**
 * Sends one streamed request to one endpoint and yields its deltas, text and argument pieces that
 * arrived in one network read merged into one delta. The SDK sends the request and
 * turns error statuses into its typed errors; the event stream is read here, with a lean parser
 * (the SDK's generic one costs more than the rest of the call). Never throws for what the server
 * or the network does: every failure comes back as an `AttemptEnd`. Breaking out of the
 * iteration aborts the request.
 */
export async function* runAttempt(
  endpoint: EndpointState,
  body: ChatCompletionCreateParamsStreaming,
  context: AttemptContext,
): AsyncGenerator<ModelDelta, AttemptEnd> {
  const { clock, signal } = context;
  const controller = new AbortController();
  const forward = (): void => controller.abort(signal.reason);
  signal.addEventListener("abort", forward, { once: true });
  const watchdog = context.watchdog.watch(context, () => controller.abort(watchdogReason));
  const assembler = new CompletionAssembler();
  let drained = false;
  const failed = (error: unknown): AttemptEnd => ({
    ok: false,
    failure: classifyFailure(error, { signal, timedOut: watchdog.fired, now: clock.now() }),
    usage: assembler.usage,
  });
  try {
    if (signal.aborted) return failed(signal.reason);
    const sentAt = clock.now();
    const response = await endpoint.client.chat.completions
      .create(body, { signal: controller.signal, headers: { ...context.headers } })
      .asResponse();
    endpoint.observeLatency(clock.now() - sentAt);
    endpoint.observeHeaders(response.headers);
    watchdog.touch();
    if (response.body === null) return failed(undefined);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    let done = false;
    for (;;) {
      const read = await reader.read();
      if (read.done) break;
      watchdog.touch();
      if (done) continue;
      const pending: ModelDelta[] = [];
      for (const event of parser.push(decoder.decode(read.value, { stream: true }))) {
        if (event.data === "[DONE]") {
          done = true;
          break;
        }
        const chunk = parseJson(event.data);
        if (event.error || isErrorPayload(chunk))
          throw new StreamError(`the stream carried an error: ${event.data}`);
        for (const delta of assembler.push(chunk)) coalesce(pending, delta);
      }
      for (const delta of pending) yield delta;
    }
    drained = true;
    return assembler.finished ? { ok: true, reply: assembler.reply() } : failed(undefined);
  } catch (error) {
    return failed(error);
  } finally {
    signal.removeEventListener("abort", forward);
    watchdog.stop();
    if (!drained) controller.abort(cleanupReason);
  }
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    throw new StreamError(`the stream carried malformed JSON: ${data.slice(0, 120)}`);
  }
}

function isErrorPayload(chunk: unknown): boolean {
  return typeof chunk === "object" && chunk !== null && (chunk as { error?: unknown }).error != null;
}

/**
 * Appends a delta, merging it into the previous one when both are text, or argument pieces of
 * the same tool call. Events that arrive in one network read then cost one yield, not one each.
 */
function coalesce(pending: ModelDelta[], delta: ModelDelta): void {
  const last = pending.at(-1);
  if (last?.type === "text" && delta.type === "text") {
    pending[pending.length - 1] = { type: "text", text: last.text + delta.text };
  } else if (
    last?.type === "tool-call-delta" &&
    delta.type === "tool-call-delta" &&
    last.index === delta.index
  ) {
    pending[pending.length - 1] = {
      type: "tool-call-delta",
      index: delta.index,
      arguments: last.arguments + delta.arguments,
    };
  } else {
    pending.push(delta);
  }
}
