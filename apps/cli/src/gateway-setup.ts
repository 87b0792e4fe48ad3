import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config, Logger } from "@longshot/core";
import { ModelGateway } from "@longshot/gateway";
import type { LanguageModel } from "@longshot/llm";
import type { SocketMount } from "@longshot/sandbox";
import { publicGatewayRoute } from "./gateway-route.js";
import { workspaceRootOf } from "./run-context.js";

/** Longest unix socket path the kernel accepts, in bytes. */
const maxSocketPath = 107;

/** Where a repository's gateway listens: beside its sandboxes, or a short temp path. */
export function gatewaySocketPath(repo: string): string {
  const preferred = join(workspaceRootOf(repo), "gateway.sock");
  if (Buffer.byteLength(preferred) <= maxSocketPath) return preferred;
  const key = createHash("sha256").update(repo).digest("hex").slice(0, 12);
  return join(tmpdir(), `longshot-gw-${key}`, "gateway.sock");
}

/**
 * Starts the run's model gateway when the worker harness is an external CLI (the built-in agent
 * calls the pool from this process and needs none). The socket is bound into local and Docker
 * sandboxes at the same path; for cloud sandboxes it also listens on GATEWAY_LISTEN, which
 * GATEWAY_PUBLIC_URL reaches.
 */
export async function startRunGateway(
  config: Config,
  model: LanguageModel,
  repo: string,
  logger: Logger,
): Promise<{ readonly gateway: ModelGateway; readonly sockets: readonly SocketMount[] } | null> {
  if (config.WORKER_HARNESS === "builtin") return null;
  const route = publicGatewayRoute(config);
  const gateway = await ModelGateway.start({
    model,
    socketPath: gatewaySocketPath(repo),
    maxOutputTokens: config.LLM_MAX_TOKENS,
    logger,
    ...(route === null ? {} : { tcp: route.listen }),
  });
  return { gateway, sockets: [{ host: gateway.socketPath, inside: gateway.socketPath }] };
}
