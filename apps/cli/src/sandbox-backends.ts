import { type Config, reachesGatewayByUrl, type SandboxKind, type SandboxProviderName } from "@longshot/core";
import type { SandboxBackend, SandboxCheckContext } from "@longshot/sandbox";
import { publicGatewayRoute } from "./gateway-route.js";

/**
 * Each sandbox kind's backend, from the package `sandboxKinds` names for it, loaded only when a
 * run uses the kind (the cloud SDKs are large). The one place the app names a sandbox package:
 * a kind added to `sandboxKinds` does not compile until it has its line here.
 */
const loaders: { readonly [K in SandboxKind]: () => Promise<SandboxBackend> } = {
  local: async () => (await import("@longshot/sandbox")).localSandboxBackend(),
  docker: async () => (await import("@longshot/sandbox-docker")).dockerSandboxBackend(),
  e2b: async () => (await import("@longshot/sandbox-e2b")).e2bSandboxBackend(),
  modal: async () => (await import("@longshot/sandbox-modal")).modalSandboxBackend(),
};

/** Backends to use instead of the real ones, by kind (tests). */
export type SandboxBackends = Partial<Readonly<Record<SandboxKind, SandboxBackend>>>;

/** The backend of `kind`; `none` is the local kind's worktrees, unisolated. */
export function sandboxBackend(
  kind: SandboxProviderName,
  backends: SandboxBackends = {},
): Promise<SandboxBackend> {
  const own = kind === "none" ? "local" : kind;
  const given = backends[own];
  return given === undefined ? loaders[own]() : Promise.resolve(given);
}

/** How messages name the setting that chose `kind`: the run's provider, or a route's sandbox. */
export function chosenVia(config: Pick<Config, "SANDBOX_PROVIDER">, kind: SandboxProviderName): string {
  return kind === config.SANDBOX_PROVIDER ? `SANDBOX_PROVIDER=${kind}` : `SANDBOX_ROUTES (sandbox ${kind})`;
}

/** What every backend's checks are given for `kind`. */
export function checkContext(
  config: Config,
  kind: SandboxProviderName,
  path: string,
  env: NodeJS.ProcessEnv,
): SandboxCheckContext {
  const route = reachesGatewayByUrl(kind) ? publicGatewayRoute(config) : null;
  return { config, env, path, via: chosenVia(config, kind), gatewayHost: route?.host ?? null };
}
