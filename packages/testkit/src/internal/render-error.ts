import type { FakeProtocol } from "../fake-request.js";

/** The kinds of error the fake server answers with. */
export type ErrorKind = "rate-limit" | "server" | "bad-request" | "not-found";

const openAiTypes: Record<ErrorKind, { type: string; code: string | null }> = {
  "rate-limit": { type: "requests", code: "rate_limit_exceeded" },
  server: { type: "server_error", code: null },
  "bad-request": { type: "invalid_request_error", code: null },
  "not-found": { type: "invalid_request_error", code: "unknown_url" },
};

const anthropicTypes: Record<ErrorKind, string> = {
  "rate-limit": "rate_limit_error",
  server: "api_error",
  "bad-request": "invalid_request_error",
  "not-found": "not_found_error",
};

/** An error body in the shape the protocol's official SDK reads its message from. */
export function renderErrorBody(protocol: FakeProtocol, kind: ErrorKind, message: string): unknown {
  if (protocol === "anthropic") return { type: "error", error: { type: anthropicTypes[kind], message } };
  const { type, code } = openAiTypes[kind];
  return { error: { message, type, param: null, code } };
}
