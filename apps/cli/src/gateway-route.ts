import { type Config, reachesGatewayByUrl, sandboxKindsOf } from "@longshot/core";

/** How cloud sandboxes reach the run's gateway: its public URL and where it listens for it. */
export interface PublicGatewayRoute {
  /** GATEWAY_PUBLIC_URL. */
  readonly url: string;
  /** Its host: the one host cloud sandboxes' egress allows. */
  readonly host: string;
  /** GATEWAY_LISTEN, where the tunnel or proxy behind the URL forwards to: as written, and its parts. */
  readonly listen: { readonly text: string; readonly host: string; readonly port: number };
}

/**
 * The public route to the gateway when a CLI harness runs on a cloud sandbox kind (a provider or
 * a SANDBOX_ROUTES target whose sandboxes reach the gateway by URL) and GATEWAY_PUBLIC_URL is
 * set; null otherwise.
 */
export function publicGatewayRoute(
  config: Pick<
    Config,
    "WORKER_HARNESS" | "SANDBOX_PROVIDER" | "SANDBOX_ROUTES" | "GATEWAY_PUBLIC_URL" | "GATEWAY_LISTEN"
  >,
): PublicGatewayRoute | null {
  if (config.WORKER_HARNESS === "builtin" || config.GATEWAY_PUBLIC_URL === undefined) return null;
  if (!sandboxKindsOf(config).some(reachesGatewayByUrl)) return null;
  const at = config.GATEWAY_LISTEN.lastIndexOf(":");
  return {
    url: config.GATEWAY_PUBLIC_URL,
    host: new URL(config.GATEWAY_PUBLIC_URL).hostname.replace(/^\[|\]$/g, ""),
    listen: {
      text: config.GATEWAY_LISTEN,
      host: config.GATEWAY_LISTEN.slice(0, at).replace(/^\[|\]$/g, ""),
      port: Number(config.GATEWAY_LISTEN.slice(at + 1)),
    },
  };
}
