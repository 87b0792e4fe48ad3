import { type Config, messageOf, type SandboxProviderName, UserError } from "@longshot/core";
import { isTransient } from "@longshot/sandbox/remote";

/** One authenticated call to a cloud sandbox service; throws when it refuses or cannot be reached. */
export type ServiceProbe = (signal: AbortSignal) => Promise<void>;

/** How the preflight reaches each service; the real SDKs by default (tests inject fakes). */
export interface ServiceProbes {
  readonly e2b: (apiKey: string) => ServiceProbe;
  readonly modal: (tokenId: string, tokenSecret: string, appName: string) => ServiceProbe;
}

// The SDKs load only when a run uses their service.
const sdkProbes: ServiceProbes = {
  e2b: (apiKey) => async (signal) => {
    const { e2bSdkClient } = await import("@longshot/sandbox-e2b");
    await e2bSdkClient({ apiKey, requestTimeoutMs: 15_000 }).list(
      { "longshot.scope": "longshot-preflight" },
      { signal },
    );
  },
  modal: (tokenId, tokenSecret, appName) => async (signal) => {
    const { modalSdkClient } = await import("@longshot/sandbox-modal");
    const client = modalSdkClient({ tokenId, tokenSecret, appName, requestTimeoutMs: 15_000 });
    try {
      await client.check({ signal });
    } finally {
      client.close();
    }
  },
};

/** The sandbox kinds a run uses: its provider and every SANDBOX_ROUTES target, each once. */
export function sandboxKindsOf(
  config: Pick<Config, "SANDBOX_PROVIDER" | "SANDBOX_ROUTES">,
): SandboxProviderName[] {
  return [
    ...new Set([config.SANDBOX_PROVIDER, ...(config.SANDBOX_ROUTES ?? []).map((route) => route.sandbox)]),
  ];
}

/**
 * Fails fast, before planning, when a cloud sandbox service the run needs is unusable: its key
 * is missing, refused, or the service cannot be reached within `timeoutMs`. Throws `UserError`
 * (exit code 2) with one sentence naming the variable to fix; local and Docker pass.
 */
export async function checkSandboxServices(
  config: Config,
  options: {
    readonly signal?: AbortSignal;
    readonly timeoutMs?: number;
    readonly probes?: ServiceProbes;
  } = {},
): Promise<void> {
  const probes = options.probes ?? sdkProbes;
  for (const kind of sandboxKindsOf(config)) {
    const via =
      kind === config.SANDBOX_PROVIDER ? `SANDBOX_PROVIDER=${kind}` : `SANDBOX_ROUTES (sandbox ${kind})`;
    if (kind === "e2b") {
      if (!config.E2B_API_KEY)
        throw new UserError(`${via} needs E2B_API_KEY; set it or choose --sandbox local.`);
      await probe("E2B", "E2B_API_KEY", probes.e2b(config.E2B_API_KEY), options, [config.E2B_API_KEY]);
    } else if (kind === "modal") {
      if (!config.MODAL_TOKEN_ID || !config.MODAL_TOKEN_SECRET) {
        throw new UserError(
          `${via} needs MODAL_TOKEN_ID and MODAL_TOKEN_SECRET; set them or choose --sandbox local.`,
        );
      }
      await probe(
        "Modal",
        "MODAL_TOKEN_ID and MODAL_TOKEN_SECRET",
        probes.modal(config.MODAL_TOKEN_ID, config.MODAL_TOKEN_SECRET, config.MODAL_APP),
        options,
        [config.MODAL_TOKEN_ID, config.MODAL_TOKEN_SECRET],
      );
    }
  }
}

async function probe(
  service: string,
  variables: string,
  call: ServiceProbe,
  options: { readonly signal?: AbortSignal; readonly timeoutMs?: number },
  secrets: readonly string[],
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  try {
    await Promise.race([
      call(signal),
      new Promise<never>((_resolve, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      }),
    ]);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const detail = timeout.aborted
      ? `no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`
      : masked(oneLine(messageOf(error)), secrets);
    throw new UserError(
      timeout.aborted || isTransient(error)
        ? `The ${service} service cannot be reached (${detail}); check the network, or choose --sandbox local.`
        : `The ${service} service refused ${variables} (${detail}); check them, or choose --sandbox local.`,
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

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/** The doctor's view of the same preflight: one check per cloud sandbox service the run uses. */
export async function sandboxServiceChecks(
  config: Config,
  probes?: ServiceProbes,
): Promise<{ name: string; status: "ok" | "fail"; detail: string }[]> {
  const cloud = sandboxKindsOf(config).filter((kind) => kind === "e2b" || kind === "modal");
  if (cloud.length === 0) return [];
  try {
    await checkSandboxServices(config, probes === undefined ? {} : { probes });
    return [
      {
        name: "sandbox service",
        status: "ok",
        detail: `${cloud.join(", ")} answers with the configured key`,
      },
    ];
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return [{ name: "sandbox service", status: "fail", detail: error.message }];
  }
}
