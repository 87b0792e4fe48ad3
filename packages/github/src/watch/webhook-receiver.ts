import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** Options of {@link startWebhookReceiver}. */
export interface WebhookReceiverOptions {
  readonly port: number;
  /** Interface to listen on; default all (GitHub must reach it). */
  readonly host?: string;
  /** The webhook's secret (GITHUB_WEBHOOK_SECRET): deliveries without a valid signature are refused. */
  readonly secret: string;
  /** Called for each verified delivery with its event name (`issues`, `pull_request_review`, …). */
  readonly onDelivery: (event: string) => void;
}

/** A running webhook receiver. */
export interface WebhookReceiver {
  readonly url: string;
  /** Verified deliveries so far, and refused ones. */
  readonly stats: { accepted: number; refused: number };
  close(): Promise<void>;
}

const maxBody = 5_000_000;

/**
 * An HTTP endpoint for GitHub webhooks. It only wakes the watch loop: the loop still reads the
 * state from the API, so a lost, repeated or forged delivery can neither skip nor duplicate
 * work. Each delivery must carry `X-Hub-Signature-256`, the HMAC-SHA256 of its body under the
 * secret (compared in constant time); anything else is answered 401 and ignored.
 */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const stats = { accepted: 0, refused: 0 };
  const server = createServer((request, response) => {
    void (async () => {
      if (request.method !== "POST") {
        response.writeHead(405, { allow: "POST" }).end();
        return;
      }
      const body = await readBody(request);
      if (body === null) {
        stats.refused += 1;
        response.writeHead(413).end();
        return;
      }
      const signature = header(request, "x-hub-signature-256");
      if (!verify(options.secret, body, signature)) {
        stats.refused += 1;
        response.writeHead(401, { "content-type": "text/plain" }).end("invalid signature\n");
        return;
      }
      stats.accepted += 1;
      response.writeHead(202, { "content-type": "text/plain" }).end("accepted\n");
      options.onDelivery(header(request, "x-github-event") || "unknown");
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Whether `signature` (`sha256=<hex>`) is the HMAC-SHA256 of `body` under `secret`. */
export function verify(secret: string, body: Buffer, signature: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim());
  if (match === null) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(match[1]!, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function header(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? (value[0] ?? "") : (value ?? "");
}

async function readBody(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBody) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
