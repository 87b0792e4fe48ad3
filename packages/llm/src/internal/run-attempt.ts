import type { Clock, Usage } from "@longshot/core";
import type { ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import type { ModelDelta } from "../model-result.js";
import { type AttemptFailure, classifyFailure } from "./classify-failure.js";
import { type AssembledReply, CompletionAssembler } from "./completion-assembler.js";
import type { EndpointState } from "./endpoint-state.js";
import { StreamWatchdog } from "./stream-watchdog.js";

/** How one attempt ended. */
export type AttemptEnd =
  | { readonly ok: true; readonly reply: AssembledReply }
  | { readonly ok: false; readonly failure: AttemptFailure; readonly usage: Usage | null };

export interface AttemptContext {
  readonly clock: Clock;
  /** The caller's signal. */
  readonly signal: AbortSignal;
  readonly headers: Readonly<Record<string, string>>;
  readonly idleMs: number;
  readonly totalMs: number;
}

/**
 * Sends one streamed request to one endpoint and yields its deltas. Never throws for what the
 * server or the network does: every failure comes back as an `AttemptEnd`. Breaking out of the
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
  const watchdog = new StreamWatchdog(clock, context, () => controller.abort(new Error("stream watchdog")));
  const assembler = new CompletionAssembler();
  const failed = (error: unknown): AttemptEnd => ({
    ok: false,
    failure: classifyFailure(error, { signal, timedOut: watchdog.fired, now: clock.now() }),
    usage: assembler.usage,
  });
  try {
    if (signal.aborted) return failed(signal.reason);
    const sentAt = clock.now();
    const { data: stream, response } = await endpoint.client.chat.completions
      .create(body, { signal: controller.signal, headers: { ...context.headers } })
      .withResponse();
    endpoint.observeLatency(clock.now() - sentAt);
    endpoint.observeHeaders(response.headers);
    watchdog.touch();
    for await (const chunk of stream) {
      watchdog.touch();
      for (const delta of assembler.push(chunk)) yield delta;
    }
    // The SDK ends the iteration quietly when the transport is aborted: only a finish reason
    // proves the reply is whole.
    if (assembler.finished && !controller.signal.aborted) return { ok: true, reply: assembler.reply() };
    return failed(undefined);
  } catch (error) {
    return failed(error);
  } finally {
    signal.removeEventListener("abort", forward);
    watchdog.stop();
    controller.abort();
  }
}
