import { type Clock, type EndpointConfig, systemClock } from "@longshot/core";
import { listModels } from "./internal/list-models.js";

/** How one endpoint answered the doctor. */
export interface EndpointCheck {
  readonly name: string;
  readonly url: string;
  readonly ok: boolean;
  /** HTTP status of `GET /models`, or `null` when nothing answered. */
  readonly status: number | null;
  readonly models: readonly string[];
  /** Round trip of `GET /models`, or `null` when nothing answered. */
  readonly latencyMs: number | null;
  readonly error: string | null;
}

export interface CheckEndpointsOptions {
  readonly signal: AbortSignal;
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
  /** Per endpoint; default 5 s. */
  readonly timeoutMs?: number;
}

/**
 * Asks every endpoint, in parallel, for its model list: whether it answers, what it serves and
 * how long it takes (for `longshot doctor`). Never throws for what an endpoint does; throws
 * when `signal` aborts.
 */
export async function checkEndpoints(
  endpoints: readonly EndpointConfig[],
  options: CheckEndpointsOptions,
): Promise<EndpointCheck[]> {
  const settings = {
    fetch: options.fetch ?? globalThis.fetch,
    clock: options.clock ?? systemClock,
    timeoutMs: options.timeoutMs ?? 5000,
    signal: options.signal,
  };
  return Promise.all(
    endpoints.map(async (endpoint) => {
      const listing = await listModels(endpoint.endpoint, endpoint.apiKey, settings);
      return {
        name: endpoint.name,
        url: endpoint.endpoint,
        ok: listing.ok,
        status: listing.status,
        models: listing.models,
        latencyMs: listing.status === null ? null : listing.latencyMs,
        error: listing.error,
      };
    }),
  );
}
