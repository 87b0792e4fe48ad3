import type { IncomingMessage, ServerResponse } from "node:http";
import { anthropicProtocol } from "./anthropic-protocol.js";
import { chatProtocol } from "./chat-protocol.js";
import { type GatewayProtocol, GatewayRequestError } from "./protocol.js";
import { responsesProtocol } from "./responses-protocol.js";

/** What a request asks for, by method and path (with or without the `/v1` prefix). */
export type Route =
  | { readonly kind: "call"; readonly protocol: GatewayProtocol }
  | { readonly kind: "count-tokens"; readonly protocol: GatewayProtocol }
  | { readonly kind: "models"; readonly protocol: GatewayProtocol }
  | { readonly kind: "unknown"; readonly protocol: GatewayProtocol };

/** Routes a request; anything unknown is answered in the chat protocol's error shape. */
export function routeOf(method: string | undefined, url: string | undefined): Route {
  const path = new URL(url ?? "/", "http://gateway").pathname.replace(/^\/v1(?=\/)/, "").replace(/\/+$/, "");
  if (method === "GET" && path === "/models") return { kind: "models", protocol: chatProtocol };
  if (method === "POST") {
    switch (path) {
      case "/chat/completions":
        return { kind: "call", protocol: chatProtocol };
      case "/responses":
        return { kind: "call", protocol: responsesProtocol };
      case "/messages":
        return { kind: "call", protocol: anthropicProtocol };
      case "/messages/count_tokens":
        return { kind: "count-tokens", protocol: anthropicProtocol };
    }
  }
  return { kind: "unknown", protocol: path.startsWith("/messages") ? anthropicProtocol : chatProtocol };
}

/** The bearer token of a request: `Authorization: Bearer …` (OpenAI) or `x-api-key` (Anthropic). */
export function tokenOf(request: IncomingMessage): string | null {
  const authorization = request.headers.authorization;
  if (typeof authorization === "string") {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1]!;
  }
  const key = request.headers["x-api-key"];
  return typeof key === "string" && key !== "" ? key : null;
}

/** Reads a JSON body of at most `limit` bytes; throws {@link GatewayRequestError} otherwise. */
export async function readJson(request: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new GatewayRequestError(`The request body is larger than ${limit} bytes.`, 413);
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw new GatewayRequestError("The request body is not valid JSON.");
  }
}

/** Sends a JSON body with status 200. */
export function sendJson(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
