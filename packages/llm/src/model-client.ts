import { randomUUID } from "node:crypto";
import {
  AbortError,
  type Clock,
  type EmitEvent,
  InternalError,
  type Role,
  systemClock,
  throwIfAborted,
  type Usage,
} from "@longshot/core";
import type { z } from "zod";
import { type BudgetLimits, checkBudget } from "./budget.js";
import type { EndpointPool } from "./endpoint-pool.js";
import { generateObject } from "./generate-object.js";
import { CallAccount } from "./internal/call-account.js";
import type { AttemptFailure } from "./internal/classify-failure.js";
import { isEndpointFault } from "./internal/classify-failure.js";
import type { AssembledReply } from "./internal/completion-assembler.js";
import { estimatePromptTokens, estimateTextTokens } from "./internal/estimate-tokens.js";
import { adaptToRejection } from "./internal/quirks.js";
import { chatBody } from "./internal/request-body.js";
import { backoffMs } from "./internal/retry-delay.js";
import { type AttemptEnd, runAttempt } from "./internal/run-attempt.js";
import type { LanguageModel, ObjectOptions, ObjectResult } from "./language-model.js";
import type { CallOptions, ModelRequest } from "./model-request.js";
import type { CallFailure, Completion, CompletionResult, ModelDelta } from "./model-result.js";
import { PriceTable } from "./price-table.js";
import { UsageLedger } from "./usage-ledger.js";

/** The model each role uses. */
export type RoleModels = Readonly<Record<Role, string>>;

export interface ModelClientOptions {
  readonly pool: EndpointPool;
  readonly models: RoleModels;
  /** Default: the built-in price table. */
  readonly prices?: PriceTable;
  /** Where usage is summed; default a new ledger. Share one to see totals elsewhere. */
  readonly ledger?: UsageLedger;
  /** Default: no caps. */
  readonly budget?: BudgetLimits;
  /** Receives `model-call-start`, `model-call-end` and `budget-refuse`. */
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
}

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
    const model = request.model ?? this.#models[options.role];
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
    const identity = { callId: this.#newCallId(), runId: options.runId, taskId, role: options.role, model };
    const deps = { emit: this.#emit, ledger: this.ledger, prices: this.prices, clock: this.#clock };
    const account = new CallAccount(identity, deps);
    try {
      yield* this.#attempts({ request, options, model, estimatedTokens: estimate.tokens, account });
    } finally {
      reservation.release();
    }
  }

  async *#attempts(plan: CallPlan): AsyncGenerator<ModelDelta, void> {
    const { request, options, model, account } = plan;
    const avoid = new Set<string>();
    const headers = attributionHeaders(options);
    let retries = 0;
    for (let backoff = 0; ; ) {
      const lease = await this.#cancellable(
        this.pool.acquire(model, avoid, plan.estimatedTokens, options.signal),
        plan,
      );
      const { endpoint } = lease;
      account.dispatch(endpoint.name);
      const quirks = endpoint.quirks(model);
      const body = chatBody(request, model, this.#settings, quirks);
      let end: AttemptEnd;
      try {
        end = yield* runAttempt(endpoint, body, {
          clock: this.#clock,
          signal: options.signal,
          headers,
          ...this.#limits,
        });
      } finally {
        lease.admission.release();
      }
      if (end.ok) {
        endpoint.breaker.onSuccess();
        endpoint.rateLimitStreak = 0;
        const usage = end.reply.usage ?? estimatedUsage(plan, end.reply);
        lease.admission.tokens?.settle(usage.promptTokens + usage.completionTokens);
        account.addUsage(usage);
        account.end(null, retries);
        yield { type: "finish", result: this.#completion(plan, end.reply, endpoint.name, retries) };
        return;
      }
      const failure = end.failure;
      if (end.usage !== null) account.addUsage(end.usage);
      if (isEndpointFault(failure)) endpoint.breaker.onFailure(this.#clock.now());
      else endpoint.breaker.onNeutral();
      if (failure.kind === "abort") this.#abort(account, retries, options.signal);
      if (failure.kind === "rejected") {
        const adapted = adaptToRejection(failure.message, quirks, body.response_format !== undefined);
        if (adapted !== null) {
          endpoint.learnQuirks(model, adapted);
          continue;
        }
        yield this.#failure(account, failure, retries, false);
        return;
      }
      if (failure.kind === "endpoint-rejected") {
        avoid.add(endpoint.name);
        if (!this.pool.hasAlternative(model, avoid)) {
          yield this.#failure(account, failure, retries, false);
          return;
        }
      } else if (failure.kind === "rate-limit") {
        endpoint.rateLimitStreak += 1;
        endpoint.pause(
          failure.delayMs ?? backoffMs(endpoint.rateLimitStreak - 1, this.#random, 1000, 60_000),
        );
      } else {
        avoid.add(endpoint.name);
      }
      if (retries >= this.#maxRetries) {
        yield this.#failure(account, failure, retries, true);
        return;
      }
      retries += 1;
      yield { type: "retry", attempt: retries, endpoint: endpoint.name, reason: failure.message };
      if (failure.kind !== "rate-limit" && !this.pool.hasAlternative(model, avoid)) {
        await this.#cancellable(
          this.#clock.sleep(backoffMs(backoff, this.#random), options.signal),
          plan,
          retries,
        );
        backoff += 1;
      }
    }
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

  #failure(
    account: CallAccount,
    failure: Exclude<AttemptFailure, { kind: "abort" }>,
    retries: number,
    retryable: boolean,
  ): ModelDelta {
    const error = retryable ? `${failure.message} (gave up after ${retries} retries)` : failure.message;
    account.end(error, retries);
    const result: CallFailure = {
      ok: false,
      kind: "failed",
      callId: account.identity.callId,
      retryable,
      status: "status" in failure ? failure.status : null,
      error,
      retries,
      usage: account.usage,
      costUsd: account.costUsd,
    };
    return { type: "finish", result };
  }

  #completion(plan: CallPlan, reply: AssembledReply, endpoint: string, retries: number): Completion {
    const calls = reply.toolCalls.map(({ id, name, arguments: text }) => ({ id, name, arguments: text }));
    return {
      ok: true,
      callId: plan.account.identity.callId,
      text: reply.text,
      toolCalls: reply.toolCalls,
      finishReason: reply.finishReason,
      usage: plan.account.usage,
      costUsd: plan.account.costUsd,
      model: plan.model,
      endpoint,
      retries,
      message:
        calls.length > 0
          ? { role: "assistant", content: reply.text, toolCalls: calls }
          : { role: "assistant", content: reply.text },
    };
  }
}

function attributionHeaders(options: CallOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "x-longshot-role": options.role,
    "x-longshot-run": options.runId,
  };
  if (options.taskId !== undefined) headers["x-longshot-task"] = options.taskId;
  return headers;
}

/** Usage when the server reported none: our own estimate, so budgets still count the call. */
function estimatedUsage(plan: CallPlan, reply: AssembledReply): Usage {
  const output = reply.text + reply.toolCalls.map((call) => call.name + call.arguments).join("");
  return {
    promptTokens: estimatePromptTokens(plan.request),
    completionTokens: estimateTextTokens(output),
    cachedTokens: 0,
  };
}
