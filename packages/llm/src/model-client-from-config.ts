import { type Clock, type Config, type EmitEvent, systemClock, UserError } from "@longshot/core";
import { budgetLimitsFromConfig } from "./budget.js";
import { EndpointPool } from "./endpoint-pool.js";
import type { LocalCandidate } from "./local-probe.js";
import { ModelClient } from "./model-client.js";
import { PriceTable } from "./price-table.js";
import { type ResolvedEndpoints, resolveEndpoints } from "./resolve-endpoints.js";
import { alternateWorkerModel, roleModelsFromConfig } from "./role-models.js";
import type { UsageLedger } from "./usage-ledger.js";

export interface ModelClientDeps {
  readonly signal: AbortSignal;
  readonly emit?: EmitEvent;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
  readonly ledger?: UsageLedger;
  /** Where to look for local servers when no endpoint is configured. */
  readonly localCandidates?: readonly LocalCandidate[];
  readonly localHost?: string;
}

/**
 * Builds the model client of a run from its configuration: endpoints (probing for a local
 * server when none is configured), role models, prices, budgets, timeouts and retries.
 * Throws `UserError` when there is no endpoint, or when a local server does not list a
 * configured model.
 */
export async function modelClientFromConfig(
  config: Config,
  deps: ModelClientDeps,
): Promise<{ readonly client: ModelClient; readonly endpoints: ResolvedEndpoints }> {
  const clock = deps.clock ?? systemClock;
  const endpoints = await resolveEndpoints(config, {
    signal: deps.signal,
    clock,
    ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
    ...(deps.localCandidates === undefined ? {} : { candidates: deps.localCandidates }),
    ...(deps.localHost === undefined ? {} : { host: deps.localHost }),
  });
  const models = roleModelsFromConfig(config);
  const local = endpoints.local;
  if (local !== null && local.models.length > 0) {
    const missing = [...new Set([...Object.values(models), alternateWorkerModel(config)])].filter(
      (model) => !local.models.includes(model),
    );
    if (missing.length > 0) {
      throw new UserError(
        `${local.server} on port ${local.port} does not serve ${missing.map((model) => `"${model}"`).join(", ")}; set LLM_MODEL to one it lists (${local.models.slice(0, 5).join(", ")}).`,
      );
    }
  }
  const pool = new EndpointPool(endpoints.endpoints, {
    clock,
    requestTimeoutMs: config.LLM_REQUEST_TIMEOUT * 1000,
    ...(deps.random === undefined ? {} : { random: deps.random }),
    ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
  });
  const client = new ModelClient({
    pool,
    models,
    prices: new PriceTable(config.LLM_PRICES ?? {}),
    budget: budgetLimitsFromConfig(config),
    clock,
    maxRetries: config.LLM_MAX_RETRIES,
    requestTimeoutMs: config.LLM_REQUEST_TIMEOUT * 1000,
    streamIdleTimeoutMs: config.LLM_STREAM_IDLE_TIMEOUT * 1000,
    maxTokens: config.LLM_MAX_TOKENS,
    temperature: config.LLM_TEMPERATURE,
    ...(deps.emit === undefined ? {} : { emit: deps.emit }),
    ...(deps.random === undefined ? {} : { random: deps.random }),
    ...(deps.ledger === undefined ? {} : { ledger: deps.ledger }),
  });
  return { client, endpoints };
}
