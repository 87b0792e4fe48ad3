import type { Usage } from "@longshot/core";

/** "340 ms", "3.5 s", "4m 05s", "2h 03m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes}m ${String(totalSeconds % 60).padStart(2, "0")}s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${String(minutes % 60).padStart(2, "0")}m`;
}

/** Dollars with cents, or four decimals below a dollar so small runs do not read as free. */
export function formatUsd(usd: number): string {
  if (usd === 0) return "$0.00";
  if (usd >= 100) return `$${Math.round(usd).toLocaleString("en-US")}`;
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  return `$${usd.toFixed(4)}`;
}

/** "850", "50.0k", "1.23M". */
export function formatTokens(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(1)}k`;
  return `${(count / 1_000_000).toFixed(2)}M`;
}

/** Prompt plus completion tokens (cached tokens are part of the prompt). */
export function totalTokens(usage: Usage): number {
  return usage.promptTokens + usage.completionTokens;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "2026-11-21 11:19:45" in the given IANA time zone. */
export function formatTimestamp(ms: number, timeZone: string, seconds = true): string {
  const key = `${timeZone}:${seconds}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      ...(seconds ? { second: "2-digit" } : {}),
      hourCycle: "h23",
    });
    formatters.set(key, formatter);
  }
  const parts = Object.fromEntries(
    formatter.formatToParts(new Date(ms)).map((part) => [part.type, part.value]),
  );
  const time = `${parts.hour}:${parts.minute}${seconds ? `:${parts.second}` : ""}`;
  return `${parts.year}-${parts.month}-${parts.day} ${time}`;
}

/** The first ten characters of a commit id. */
export function shortSha(sha: string | null): string {
  return sha === null ? "–" : sha.slice(0, 10);
}

/** Whitespace collapsed to single spaces, cut to `max` characters with an ellipsis. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1))}…`;
}

/** At most `maxLines` lines and `maxChars` characters, saying how much was cut. */
export function clip(text: string, maxLines: number, maxChars: number): string {
  const lines = text.replace(/\s+$/, "").split("\n");
  let kept = lines.slice(0, maxLines).join("\n");
  if (kept.length > maxChars) kept = kept.slice(0, maxChars);
  const cut = text.trimEnd().length - kept.length;
  return cut > 0 ? `${kept}\n… (${cut} more characters)` : kept;
}
