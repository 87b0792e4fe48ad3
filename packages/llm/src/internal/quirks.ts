/**
 * What one model on one endpoint accepts. OpenAI-compatible servers differ: newer OpenAI models
 * want `max_completion_tokens` and refuse a temperature; many local servers know only
 * `max_tokens` or reject `response_format`. Start permissive and learn from 400 replies.
 */
export interface ModelQuirks {
  readonly maxTokensField: "max_tokens" | "max_completion_tokens";
  readonly temperature: boolean;
  readonly responseFormat: boolean;
}

export const defaultQuirks: ModelQuirks = {
  maxTokensField: "max_tokens",
  temperature: true,
  responseFormat: true,
};

/**
 * The adjustment a 400 reply asks for, or `null` when the message names nothing we can drop or
 * rename. Each adjustment moves one way only, so a request adapts at most three times.
 */
export function adaptToRejection(
  message: string,
  current: ModelQuirks,
  sentResponseFormat: boolean,
): ModelQuirks | null {
  const text = message.toLowerCase();
  if (
    current.maxTokensField === "max_tokens" &&
    text.includes("max_tokens") &&
    text.includes("max_completion_tokens")
  ) {
    return { ...current, maxTokensField: "max_completion_tokens" };
  }
  if (sentResponseFormat && current.responseFormat && /response_format|json_schema/.test(text)) {
    return { ...current, responseFormat: false };
  }
  if (current.temperature && text.includes("temperature")) return { ...current, temperature: false };
  return null;
}
