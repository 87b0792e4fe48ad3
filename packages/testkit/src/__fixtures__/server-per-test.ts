import OpenAI from "openai";
import { afterEach } from "vitest";
import { type FakeLlmOptions, type FakeLlmServer, startFakeLlm } from "../fake-llm-server.js";

/**
 * Starts the fake server for a test and closes the last one started after each test (register
 * it once, at the top of a test file).
 */
export function serverPerTest(): (options: FakeLlmOptions) => Promise<FakeLlmServer> {
  let server: FakeLlmServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return async (options) => {
    server = await startFakeLlm(options);
    return server;
  };
}

/** An OpenAI SDK client of the fake server (any key does), retrying `maxRetries` times. */
export function clientOf(server: FakeLlmServer, maxRetries = 0, quiet = false): OpenAI {
  return new OpenAI({
    baseURL: server.url,
    apiKey: "test",
    maxRetries,
    ...(quiet ? { logLevel: "off" as const } : {}),
  });
}
