import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";

function capture(secrets: string[]) {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  const logger = createLogger({ json: stream, secrets });
  return { logger, text: () => chunks.join("") };
}

describe("logger", () => {
  it("writes JSON lines", () => {
    const { logger, text } = capture([]);
    logger.info({ taskId: "t0001" }, "task started");
    const line = JSON.parse(text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ taskId: "t0001", msg: "task started", level: 30 });
  });

  it("redacts values under secret-looking keys at any depth", () => {
    const { logger, text } = capture([]);
    logger.info({ endpoint: { name: "a", apiKey: "abc" }, headers: { authorization: "Bearer x" } }, "call");
    expect(text()).not.toContain('"abc"');
    expect(text()).not.toContain("Bearer x");
    expect(text()).toContain('"name":"a"');
  });

  it("redacts known secret values wherever they appear, even inside messages", () => {
    const { logger, text } = capture(["sk-live-0123456789"]);
    logger.error({ detail: "failed with sk-live-0123456789 in url" }, "key sk-live-0123456789 rejected");
    expect(text()).not.toContain("sk-live-0123456789");
    expect(text()).toContain("[redacted]");
  });
});
