import { describe, expect, it } from "vitest";
import { backoffMs, parseResetDuration, serverDelayMs } from "./retry-delay.js";

describe("retry delays", () => {
  it("parses OpenAI rate-limit reset durations", () => {
    expect(parseResetDuration("1s")).toBe(1000);
    expect(parseResetDuration("6m0s")).toBe(360_000);
    expect(parseResetDuration("250ms")).toBe(250);
    expect(parseResetDuration("1h2m3.5s")).toBe(3_723_500);
    expect(parseResetDuration("20")).toBe(20_000);
    expect(parseResetDuration("soon")).toBeUndefined();
  });

  it("prefers retry-after-ms, then retry-after, then the exhausted window's reset", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(serverDelayMs(new Headers({ "retry-after-ms": "1500", "retry-after": "9" }), now)).toBe(1500);
    expect(serverDelayMs(new Headers({ "retry-after": "2" }), now)).toBe(2000);
    expect(serverDelayMs(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }), now)).toBe(5000);
    const windows = {
      "x-ratelimit-remaining-requests": "12",
      "x-ratelimit-reset-requests": "50s",
      "x-ratelimit-remaining-tokens": "0",
      "x-ratelimit-reset-tokens": "3s",
    };
    expect(serverDelayMs(new Headers(windows), now)).toBe(3000);
    expect(serverDelayMs(new Headers({ "x-ratelimit-reset-requests": "4s" }), now)).toBe(4000);
    expect(serverDelayMs(new Headers(), now)).toBeUndefined();
  });

  it("backs off exponentially with jitter, within a cap", () => {
    expect(backoffMs(0, () => 0)).toBe(250);
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(3, () => 0.5)).toBe(3000);
    expect(backoffMs(20, () => 1)).toBe(30_000);
  });
});
