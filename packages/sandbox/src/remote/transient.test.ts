import { describe, expect, it } from "vitest";
import { isTransient } from "./transient.js";

function named(name: string, message: string, cause?: unknown): Error {
  const error = new Error(message, cause === undefined ? undefined : { cause });
  error.name = name;
  return error;
}

describe("isTransient", () => {
  it("retries dropped connections, gateway errors and rate limits", () => {
    expect(
      isTransient(
        new TypeError("fetch failed", { cause: Object.assign(new Error("read"), { code: "ECONNRESET" }) }),
      ),
    ).toBe(true);
    expect(isTransient(named("SandboxError", "502: Bad Gateway"))).toBe(true);
    expect(isTransient(named("RateLimitError", "Rate limit exceeded"))).toBe(true);
    expect(isTransient(named("ConnectError", "[unavailable] upstream connect error"))).toBe(true);
  });

  it("does not retry a gone sandbox, bad input or non-errors", () => {
    expect(isTransient(named("SandboxNotFoundError", "sandbox abc not found"))).toBe(false);
    expect(isTransient(named("InvalidArgumentError", "bad path"))).toBe(false);
    expect(isTransient("ECONNRESET")).toBe(false);
  });
});
