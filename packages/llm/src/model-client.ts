import { randomUUID } from "node:crypto";
import {
  AbortError,
  type Clock,
  type EmitEvent,
  InternalError,
  type Role,
  systemClock,
  throwIfAborted,
} from "@longshot/core";
import type { z } from "zod";
import { type BudgetLimits, checkBudget } from "./budget.js";
import type { EndpointPool, Lease } from "./endpoint-pool.js";
import { generateObject } from "./generate-object.js";
import { CallAccount } from "./internal/call-account.js";
import { isEndpointFault } from "./internal/classify-failure.js";
import { estimatePromptTokens, estimateUsage } from "./internal/estimate-tokens.js";
import type { ModelQuirks } from "./internal/quirks.js";
import { adaptToRejection } from "./internal/quirks.js";
import { attributionHeaders, chatBody } from "./internal/request-body.js";
import { backoffMs } from "./internal/retry-delay.js";
import { type AttemptContext, type AttemptEnd, runAttempt } from "./internal/run-attempt.js";
import { StreamWatchdog } from "./internal/stream-watchdog.js";
import type { LanguageModel, ObjectOptions, ObjectResult } from "./language-model.js";
import type { CallOptions, ModelRequest } from "./model-request.js";
import type { CompletionResult, ModelDelta } from "./model-result.js";
import { PriceTable } from "./price-table.js";
import { UsageLedger } from "./usage-ledger.js";

/**
 * The model each role uses. `compactor` may be left out: it then uses the worker's model (the
 * built-in agent names the attempt's model on its compaction calls anyway).
 */
export type RoleModels = Readonly<Record<Exclude<Role, "compactor">, string>> & {
  readonly compactor?: string;
};

/** Every role on one model (`compactor` too, through the worker's): one local model, or a test's fake. */
export function oneModelForEveryRole(model: string): RoleModels {
  return { planner: model, subplanner: model, worker: model, judge: model, fixer: model, critic: model };
}

export interface ModelClientOptions {
  readonly pool: EndpointPool;
  readonly models: RoleModels;
  /** Default: the built-in price table. */
  readonly prices?: PriceTable;
  /** Where usage is summed; default a new ledger. Share one to see totals elsewhere. */
  readonly ledger?: UsageLedger;
  /** Default: no caps. */
  readonly budget?: BudgetLimits;
  /** Receives `model-call-start`, `model-call-retry`, `model-call-end` and `budget-refuse`. */
  readonly emit?: EmitEvent;
  readonly clock?: Clock;
  /** Source of jitter in [0, 1); default `Math.random`. */
  readonly random?: () => number;
  /** Retries of one call across all endpoints (LLM_MAX_RETRIES); default 8. */
  readonly maxRetries?: number;
  /** Longest time one attempt may take, stream included (LLM_REQUEST_TIMEOUT); default 600 s. */
  readonly requestTimeoutMs?: number;
  /** Longest silence within a stream before the attempt is cut (LLM_STREAM_IDLE_TIMEOUT); default 60 s. */
  readonly streamIdleTimeoutMs?: number;
  /** Output token limit of requests that set none (LLM_MAX_TOKENS); default 65536. */
  readonly maxTokens?: number;
  /** Temperature of requests that set none (LLM_TEMPERATURE); default 0.7. */
  readonly temperature?: number;
  /** Ids of calls in events; default random UUIDs. */
  readonly newCallId?: () => string;
}

interface CallPlan {
  readonly request: ModelRequest;
  readonly options: CallOptions;
  readonly model: string;
  readonly estimatedTokens: number;
  readonly account: CallAccount;
  readonly headers: Readonly<Record<string, string>>;
  /** Endpoints that failed this call; another is preferred while there is one. */
  readonly avoid: Set<string>;
}

/** What a call does after an attempt. */
type NextStep =
  | { readonly kind: "finish"; readonly delta: ModelDelta }
  | { readonly kind: "again" }
  | {
      readonly kind: "retry";
      readonly reason: string;
      readonly backoff: boolean;
      readonly status: number | null;
      /** The endpoint's pause (rate limits); the backoff is drawn when it is taken. */
      readonly pauseMs: number;
    };

/**
 * The `LanguageModel` every role uses: routes each call over an `EndpointPool`, retries what is
 * worth retrying (rate limits as the server asks, shared per endpoint; 5xx, timeouts, dropped and
 * stalled streams with backoff, on another endpoint when there is one), checks budgets before
 * sending, and accounts every call in a `UsageLedger` and as events.
 */
export class ModelClient implements LanguageModel {
  readonly pool: EndpointPool;
  readonly ledger: UsageLedger;
  readonly prices: PriceTable;
  readonly #models: RoleModels;
  readonly #budget: BudgetLimits;
  readonly #emit: EmitEvent;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #maxRetries: number;
  readonly #limits: { readonly idleMs: number; readonly totalMs: number };
  readonly #settings: { readonly maxTokens: number; readonly temperature: number };
  readonly #newCallId: () => string;
  readonly #watchdog: StreamWatchdog;

  /** Throws `UserError` when a role's model is served by no endpoint. */
  constructor(options: ModelClientOptions) {
    this.pool = options.pool;
    this.#models = options.models;
    for (const model of new Set(Object.values(options.models))) this.pool.assertServed(model);
    this.prices = options.prices ?? new PriceTable();
    this.ledger = options.ledger ?? new UsageLedger();
    this.#budget = options.budget ?? {};
    this.#emit = options.emit ?? (() => {});
    this.#clock = options.clock ?? systemClock;
    this.#watchdog = new StreamWatchdog(this.#clock);
    this.#random = options.random ?? Math.random;
    this.#maxRetries = options.maxRetries ?? 8;
    this.#limits = {
      idleMs: options.streamIdleTimeoutMs ?? 60_000,
      totalMs: options.requestTimeoutMs ?? 600_000,
    };
    this.#settings = { maxTokens: options.maxTokens ?? 65_536, temperature: options.temperature ?? 0.7 };
    this.#newCallId = options.newCallId ?? randomUUID;
  }

  stream(request: ModelRequest, options: CallOptions): AsyncIterable<ModelDelta> {
    return this.#call(request, options);
  }

  async complete(request: ModelRequest, options: CallOptions): Promise<CompletionResult> {
    for await (const delta of this.#call(request, options)) {
      if (delta.type === "finish") return delta.result;
    }
    throw new InternalError("A model call ended without a result.");
  }

  generateObject<S extends z.ZodType>(
    schema: S,
    request: ModelRequest,
    options: ObjectOptions,
  ): Promise<ObjectResult<z.output<S>>> {
    return generateObject(this, schema, request, options);
  }

  async *#call(request: ModelRequest, options: CallOptions): AsyncGenerator<ModelDelta, void> {
    throwIfAborted(options.signal);
    const model = request.model ?? this.#models[options.role] ?? this.#models.worker;
    this.pool.assertServed(model);
    const taskId = options.taskId ?? null;
    const promptTokens = estimatePromptTokens(request);
    const completionTokens = request.maxTokens ?? this.#settings.maxTokens;
    const estimate = {
      tokens: promptTokens + completionTokens,
      usd: this.prices.costOf(model, { promptTokens, completionTokens, cachedTokens: 0 }),
    };
    const refusal = checkBudget(this.#budget, this.ledger, { runId: options.runId, taskId }, estimate);
    if (refusal !== null) {
      const { scope, resource, limit, used } = refusal;
      this.#emit({ type: "budget-refuse", scope, kind: resource, taskId, limit, used });
      yield { type: "finish", result: refusal };
      return;
    }
    const reservation = this.ledger.reserve(options.runId, taskId, estimate);
    const identity = {
      callId: this.#newCallId(),
      runId: options.runId,
      taskId,
      ...(options.attempt === undefined ? {} : { attempt: options.attempt }),
      role: options.role,
      model,
    };
    const deps = { emit: this.#emit, ledger: this.ledger, prices: this.prices, clock: this.#clock };
    const plan: CallPlan = {
      request,
      options,
      model,
      estimatedTokens: estimate.tokens,
      account: new CallAccount(identity, deps),
      headers: attributionHeaders(options),
      avoid: new Set(),
    };
    let retries = 0;
    try {
      for (let backoff = 0; ; ) {
        const pending = this.pool.acquire(model, plan.avoid, plan.estimatedTokens, options.signal);
        const lease = pending instanceof Promise ? await this.#cancellable(pending, plan, retries) : pending;
        plan.account.dispatch(lease.endpoint.name);
        const quirks = lease.endpoint.quirks(model);
        const body = chatBody(request, model, this.#settings, quirks);
        let end: AttemptEnd | undefined;
        try {
          end = yield* runAttempt(lease.endpoint, body, this.#attemptContext(plan));
        } finally {
          lease.admission.release();
          // The reader stopped mid-attempt: the attempt says nothing about the endpoint's health.
          if (end === undefined) lease.endpoint.breaker.onNeutral();
        }
        const next = this.#afterAttempt(
          plan,
          lease,
          end,
          { quirks, sentResponseFormat: body.response_format !== undefined },
          retries,
        );
        if (next.kind === "finish") {
          yield next.delta;
          return;
        }
        if (next.kind === "again") continue;
        retries += 1;
        const delayMs = next.backoff ? backoffMs(backoff, this.#random) : next.pauseMs;
        plan.account.retry({
          attempt: retries,
          endpoint: lease.endpoint.name,
          status: next.status,
          delayMs,
          reason: next.reason,
        });
        yield { type: "retry", attempt: retries, endpoint: lease.endpoint.name, reason: next.reason };
        if (next.backoff) {
          await this.#cancellable(this.#clock.sleep(delayMs, options.signal), plan, retries);
          backoff += 1;
        }
      }
    } finally {
      // A reader that stops early ends the call here; a call that already ended is untouched.
      plan.account.end("cancelled", retries);
      reservation.release();
    }
  }

  #attemptContext(plan: CallPlan): AttemptContext {
    return {
      clock: this.#clock,
      watchdog: this.#watchdog,
      signal: plan.options.signal,
      headers: plan.headers,
      idleMs: this.#limits.idleMs,
      totalMs: this.#limits.totalMs,
    };
  }

  /**
   * Books an attempt's outcome (endpoint health, usage) and decides what the call does next:
   * finish with a result, try again at once without counting a retry (the request was adapted
   * to the endpoint), or retry, after a backoff when no other endpoint can take it.
   */
  #afterAttempt(
    plan: CallPlan,
    lease: Lease,
    end: AttemptEnd,
    sent: { readonly quirks: ModelQuirks; readonly sentResponseFormat: boolean },
    retries: number,
  ): NextStep {
    const { endpoint } = lease;
    const { account, model } = plan;
    if (end.ok) {
      endpoint.breaker.onSuccess();
      endpoint.rateLimitStreak = 0;
      const usage = end.reply.usage ?? estimateUsage(plan.request, end.reply);
      lease.admission.tokens?.settle(usage.promptTokens + usage.completionTokens);
      account.addUsage(usage);
      return finish(account.complete(end.reply, endpoint.name, retries));
    }
    const failure = end.failure;
    if (end.usage !== null) account.addUsage(end.usage);
    if (isEndpointFault(failure)) endpoint.breaker.onFailure(this.#clock.now());
    else endpoint.breaker.onNeutral();
    let pauseMs = 0;
    switch (failure.kind) {
      case "abort":
        return this.#abort(account, retries, plan.options.signal);
      case "rejected": {
        const adapted = adaptToRejection(failure.message, sent.quirks, sent.sentResponseFormat);
        if (adapted === null) return finish(account.fail(failure, retries, false));
        endpoint.learnQuirks(model, adapted);
        return { kind: "again" };
      }
      case "endpoint-rejected":
        plan.avoid.add(endpoint.name);
        if (!this.pool.hasAlternative(model, plan.avoid))
          return finish(account.fail(failure, retries, false));
        break;
      case "rate-limit":
        endpoint.rateLimitStreak += 1;
        pauseMs = failure.delayMs ?? backoffMs(endpoint.rateLimitStreak - 1, this.#random, 1000, 60_000);
        endpoint.pause(pauseMs);
        break;
      default:
        plan.avoid.add(endpoint.name);
    }
    if (retries >= this.#maxRetries) return finish(account.fail(failure, retries, true));
    // A rate limit is waited out inside the pool, shared with every caller of the endpoint.
    const backoff = failure.kind !== "rate-limit" && !this.pool.hasAlternative(model, plan.avoid);
    const status = "status" in failure ? failure.status : null;
    return { kind: "retry", reason: failure.message, backoff, status, pauseMs };
  }

  async #cancellable<T>(work: Promise<T>, plan: CallPlan, retries = 0): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (plan.options.signal.aborted) this.#abort(plan.account, retries, plan.options.signal);
      throw error;
    }
  }

  #abort(account: CallAccount, retries: number, signal: AbortSignal): never {
    account.end("cancelled", retries);
    throw new AbortError("The model call was cancelled.", { cause: signal.reason });
  }
}

function finish(result: CompletionResult): NextStep {
  return { kind: "finish", delta: { type: "finish", result } };
}
