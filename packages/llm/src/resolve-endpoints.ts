import { type Config, type EndpointConfig, UserError } from "@longshot/core";
import {
  defaultLocalCandidates,
  describeCandidates,
  type LocalEndpoint,
  type LocalProbeOptions,
  probeLocalEndpoint,
} from "./local-probe.js";

/** The endpoints a run uses and where they came from. */
export interface ResolvedEndpoints {
  readonly endpoints: readonly EndpointConfig[];
  readonly source: "LLM_ENDPOINTS" | "LLM_BASE_URL" | "local";
  /** The local server found when nothing was configured. */
  readonly local: LocalEndpoint | null;
}

/**
 * LLM_ENDPOINTS when set, else LLM_BASE_URL with LLM_API_KEY, else the first local server that
 * answers. Throws `UserError` naming the variables to set when there is none.
 */
export async function resolveEndpoints(
  config: Pick<Config, "LLM_ENDPOINTS" | "LLM_BASE_URL" | "LLM_API_KEY">,
  probe: LocalProbeOptions,
): Promise<ResolvedEndpoints> {
  if (config.LLM_ENDPOINTS !== undefined) {
    return { endpoints: config.LLM_ENDPOINTS, source: "LLM_ENDPOINTS", local: null };
  }
  if (config.LLM_BASE_URL !== undefined) {
    const endpoint = {
      name: hostOf(config.LLM_BASE_URL),
      endpoint: config.LLM_BASE_URL,
      apiKey: config.LLM_API_KEY ?? "",
      weight: 1,
    };
    return { endpoints: [endpoint], source: "LLM_BASE_URL", local: null };
  }
  const local = await probeLocalEndpoint(probe);
  if (local === null) {
    const candidates = probe.candidates ?? defaultLocalCandidates;
    throw new UserError(
      `No model endpoint is configured and no local model server answered on ${probe.host ?? "127.0.0.1"} (${describeCandidates(candidates)}); set LLM_BASE_URL and LLM_API_KEY, or LLM_ENDPOINTS.`,
    );
  }
  return { endpoints: [local.endpoint], source: "local", local };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
