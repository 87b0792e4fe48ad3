import { type Clock, type EndpointConfig, systemClock } from "@longshot/core";
import { listModels } from "./internal/list-models.js";

/** A local server to look for. */
export interface LocalCandidate {
  readonly port: number;
  /** What usually listens there, for messages. */
  readonly server: string;
}

/** The usual local OpenAI-compatible servers, in the order they are preferred. */
export const defaultLocalCandidates: readonly LocalCandidate[] = [
  { port: 11434, server: "Ollama" },
  { port: 1234, server: "LM Studio" },
  { port: 8000, server: "vLLM/SGLang" },
];

/** A local server that answered. */
export interface LocalEndpoint {
  readonly server: string;
  readonly port: number;
  readonly endpoint: EndpointConfig;
  readonly models: readonly string[];
}

export interface LocalProbeOptions {
  readonly signal: AbortSignal;
  readonly candidates?: readonly LocalCandidate[];
  /** Default `127.0.0.1`. */
  readonly host?: string;
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
  /** Per candidate; default 1.5 s. */
  readonly timeoutMs?: number;
}

/**
 * Looks for a local model server: asks every candidate for `/v1/models` at once and returns the
 * first in candidate order that answers with a model list, or `null` when none does. Throws
 * when `signal` aborts.
 */
export async function probeLocalEndpoint(options: LocalProbeOptions): Promise<LocalEndpoint | null> {
  const host = options.host ?? "127.0.0.1";
  const candidates = options.candidates ?? defaultLocalCandidates;
  const settings = {
    fetch: options.fetch ?? globalThis.fetch,
    clock: options.clock ?? systemClock,
    timeoutMs: options.timeoutMs ?? 1500,
    signal: options.signal,
  };
  const listings = await Promise.all(
    candidates.map((candidate) => listModels(`http://${host}:${candidate.port}/v1`, "", settings)),
  );
  const index = listings.findIndex((listing) => listing.ok);
  const candidate = candidates[index];
  const listing = listings[index];
  if (candidate === undefined || listing === undefined) return null;
  const url = `http://${host}:${candidate.port}/v1`;
  return {
    server: candidate.server,
    port: candidate.port,
    endpoint: {
      name: `${candidate.server} (${host}:${candidate.port})`,
      endpoint: url,
      apiKey: "",
      weight: 1,
    },
    models: listing.models,
  };
}

/** `Ollama (port 11434), LM Studio (port 1234) or vLLM/SGLang (port 8000)`. */
export function describeCandidates(candidates: readonly LocalCandidate[]): string {
  const parts = candidates.map((candidate) => `${candidate.server} (port ${candidate.port})`);
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} or ${parts.at(-1)}`;
}
