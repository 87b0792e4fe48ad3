import { InternalError } from "@longshot/core";
import type { CallOptions, CompletionResult, LanguageModel, ModelRequest } from "@longshot/llm";

/**
 * Streams one model call and returns its result, calling `onActivity` for every delta so the
 * stuck watchdog sees a slow but living stream. Throws `AbortError` when the signal aborts.
 */
export async function streamTurn(
  model: LanguageModel,
  request: ModelRequest,
  options: CallOptions,
  onActivity: () => void,
): Promise<CompletionResult> {
  let result: CompletionResult | undefined;
  for await (const delta of model.stream(request, options)) {
    onActivity();
    if (delta.type === "finish") result = delta.result;
  }
  if (result === undefined) throw new InternalError("The model stream ended without a finish delta.");
  return result;
}
