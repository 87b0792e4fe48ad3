/**
 * Whether an SDK failure is worth a reconnect and a retry: dropped connections, gateway and
 * availability errors, rate limits. A sandbox that is gone (not found) is not transient.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (/NotFound/.test(error.name)) return false;
  const code = (error as { code?: unknown }).code;
  const text = `${error.name} ${error.message} ${typeof code === "string" ? code : ""} ${causeText(error)}`;
  return /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|socket hang up|fetch failed|network|\b50[234]\b|unavailable|ServiceBusy|RateLimit|UND_ERR/i.test(
    text,
  );
}

function causeText(error: Error): string {
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${cause.name} ${cause.message} ${typeof code === "string" ? code : ""}`;
  }
  return "";
}
