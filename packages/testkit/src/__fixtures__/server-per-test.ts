import OpenAI from "openai";
import { type FakeLlmOptions, type FakeLlmServer, startFakeLlm } from "../fake-llm-server.js";
import { perTest } from "../per-test.js";

/**
 * Starts the fake server for a test and closes it after the test (register it once, at the top
 * of a test file).
 */
export function serverPerTest(): (options: FakeLlmOptions) => Promise<FakeLlmServer> {
  return perTest(startFakeLlm, (server) => server.close());
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
