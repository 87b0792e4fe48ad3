import { type Config, messageOf, sandboxKindsOf, UserError } from "@longshot/core";
import { missingCredentials, type SandboxBackend, type SandboxService } from "@longshot/sandbox";
import { isTransient } from "@longshot/sandbox/remote";
import { oneLine } from "./report/internal/format.js";
import { chosenVia, type SandboxBackends, sandboxBackend } from "./sandbox-backends.js";

/** The cloud services behind the sandbox kinds a run uses, each with the setting that chose its kind. */
async function servicesOf(
  config: Config,
  backends: SandboxBackends,
): Promise<{ kind: string; via: string; backend: SandboxBackend; service: SandboxService }[]> {
  const services = [];
  for (const kind of sandboxKindsOf(config)) {
    if (kind === "none") continue;
    const backend = await sandboxBackend(kind, backends);
    if (backend.service !== undefined)
      services.push({ kind, via: chosenVia(config, kind), backend, service: backend.service });
  }
  return services;
}

/**
 * Fails fast, before planning, when a cloud sandbox service the run needs is unusable: its key
 * is missing, refused, or the service cannot be reached within `timeoutMs`. Throws `UserError`
 * (exit code 2) with one sentence naming the variable to fix; kinds without a service (local,
 * Docker) pass. `backends` replace the real ones (tests).
 */
export async function checkSandboxServices(
  config: Config,
  options: {
    readonly signal?: AbortSignal;
    readonly timeoutMs?: number;
    readonly backends?: SandboxBackends;
  } = {},
): Promise<void> {
  await checkServices(config, await servicesOf(config, options.backends ?? {}), options);
}

async function checkServices(
  config: Config,
  services: Awaited<ReturnType<typeof servicesOf>>,
  options: { readonly signal?: AbortSignal; readonly timeoutMs?: number },
): Promise<void> {
  for (const { via, backend, service } of services) {
    const missing = missingCredentials(backend, config, via);
    if (missing !== null) throw new UserError(`${missing}.`);
    await probe(config, service, options, service.credentials(config) ?? []);
  }
}

async function probe(
  config: Config,
  service: SandboxService,
  options: { readonly signal?: AbortSignal; readonly timeoutMs?: number },
  secrets: readonly string[],
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  try {
    await Promise.race([
      service.probe(config, signal),
      new Promise<never>((_resolve, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      }),
    ]);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const detail = timeout.aborted
      ? `no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`
      : masked(oneLine(messageOf(error), 160), secrets);
    throw new UserError(
      timeout.aborted || isTransient(error)
        ? `The ${service.name} service cannot be reached (${detail}); check the network, or choose --sandbox local.`
        : `The ${service.name} service refused ${service.variables} (${detail}); check them, or choose --sandbox local.`,
      { cause: error },
    );
  }
}

function masked(text: string, secrets: readonly string[]): string {
  return secrets.reduce(
    (result, secret) => (secret.length >= 4 ? result.split(secret).join("***") : result),
    text,
  );
}

/** The doctor's view of the same preflight: one check per cloud sandbox service the run uses. */
export async function sandboxServiceChecks(
  config: Config,
  backends: SandboxBackends = {},
): Promise<{ name: string; status: "ok" | "fail"; detail: string }[]> {
  const services = await servicesOf(config, backends);
  if (services.length === 0) return [];
  try {
    await checkServices(config, services, {});
    return [
      {
        name: "sandbox service",
        status: "ok",
        detail: `${services.map((entry) => entry.kind).join(", ")} answers with the configured key`,
      },
    ];
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return [{ name: "sandbox service", status: "fail", detail: error.message }];
  }
}
