/** Milliseconds in a duration such as `1s`, `6m0s`, `250ms`, `1h2m3.5s`, or bare seconds `20`. */
export function parseResetDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  const pattern = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(pattern)) {
    const [whole, amount = "0", unit = "s"] = match;
    total += Number(amount) * (units[unit] ?? 0);
    consumed += whole.length;
  }
  return consumed > 0 && consumed === trimmed.length ? total : undefined;
}

/**
 * How long the server asks callers to wait, from `retry-after-ms`, `retry-after` (seconds or an
 * HTTP date) or the `x-ratelimit-reset-*` headers (the exhausted ones when the server says which,
 * otherwise the longest). `undefined` when the response names no time.
 */
export function serverDelayMs(headers: Headers | undefined, now: number): number | undefined {
  if (headers === undefined) return undefined;
  const milliseconds = headers.get("retry-after-ms");
  if (milliseconds !== null && /^\d+(\.\d+)?$/.test(milliseconds.trim())) return Number(milliseconds);
  const retryAfter = headers.get("retry-after");
  if (retryAfter !== null) {
    const trimmed = retryAfter.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return rateLimitResetMs(headers, true);
}

/**
 * The reset time of the exhausted `x-ratelimit-*` windows (remaining `0`). With `anyWhenUnknown`
 * and no `remaining` header naming one, the longest reset of any window.
 */
export function rateLimitResetMs(headers: Headers, anyWhenUnknown: boolean): number | undefined {
  let exhausted: number | undefined;
  let longest: number | undefined;
  for (const window of ["requests", "tokens"]) {
    const reset = headers.get(`x-ratelimit-reset-${window}`);
    const delay = reset === null ? undefined : parseResetDuration(reset);
    if (delay === undefined) continue;
    longest = Math.max(longest ?? 0, delay);
    if (headers.get(`x-ratelimit-remaining-${window}`)?.trim() === "0")
      exhausted = Math.max(exhausted ?? 0, delay);
  }
  return exhausted ?? (anyWhenUnknown ? longest : undefined);
}

/**
 * Exponential backoff with jitter: attempt 0 waits about `baseMs`, each further attempt twice as
 * long, capped at `capMs`; the result lies between half and all of that.
 */
export function backoffMs(attempt: number, random: () => number, baseMs = 500, capMs = 30_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
