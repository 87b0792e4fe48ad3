import type { Config } from "@longshot/core";
import type { BudgetRefusal } from "./model-result.js";
import type { SpendEstimate, UsageLedger } from "./usage-ledger.js";

/** Hard caps of one scope; an absent cap is no cap. */
export interface BudgetCaps {
  readonly usd?: number;
  readonly tokens?: number;
}

/** Caps per run and per task. */
export interface BudgetLimits {
  readonly run?: BudgetCaps;
  readonly task?: BudgetCaps;
}

/** Budget caps from MAX_COST_USD, MAX_TOKENS, TASK_MAX_COST_USD and TASK_MAX_TOKENS. */
export function budgetLimitsFromConfig(
  config: Pick<Config, "MAX_COST_USD" | "MAX_TOKENS" | "TASK_MAX_COST_USD" | "TASK_MAX_TOKENS">,
): BudgetLimits {
  return {
    run: caps(config.MAX_COST_USD, config.MAX_TOKENS),
    task: caps(config.TASK_MAX_COST_USD, config.TASK_MAX_TOKENS),
  };
}

function caps(usd: number | undefined, tokens: number | undefined): BudgetCaps {
  return { ...(usd === undefined ? {} : { usd }), ...(tokens === undefined ? {} : { tokens }) };
}

/**
 * Decides whether a call that could cost `estimate` fits every cap, counting what the run and
 * the task have spent plus what calls in flight hold. Returns the first cap it would break
 * (run before task, tokens before USD), or `null` when the call may go.
 */
export function checkBudget(
  limits: BudgetLimits,
  ledger: UsageLedger,
  scope: { readonly runId: string; readonly taskId: string | null },
  estimate: SpendEstimate,
): BudgetRefusal | null {
  const run = ledger.run(scope.runId);
  const runHeld = ledger.reserved(scope.runId);
  const refusal = breach("run", limits.run, run.tokens + runHeld.tokens, run.costUsd + runHeld.usd, estimate);
  if (refusal !== null || scope.taskId === null) return refusal;
  const task = ledger.task(scope.runId, scope.taskId);
  const taskHeld = ledger.reserved(scope.runId, scope.taskId);
  return breach("task", limits.task, task.tokens + taskHeld.tokens, task.costUsd + taskHeld.usd, estimate);
}

function breach(
  scope: "run" | "task",
  limit: BudgetCaps | undefined,
  tokens: number,
  usd: number,
  estimate: SpendEstimate,
): BudgetRefusal | null {
  if (limit?.tokens !== undefined && tokens + estimate.tokens > limit.tokens) {
    return refusal(scope, "tokens", limit.tokens, tokens, estimate.tokens);
  }
  if (limit?.usd !== undefined && usd + estimate.usd > limit.usd) {
    return refusal(scope, "usd", limit.usd, usd, estimate.usd);
  }
  return null;
}

function refusal(
  scope: "run" | "task",
  resource: "usd" | "tokens",
  limit: number,
  used: number,
  estimate: number,
): BudgetRefusal {
  const unit = (value: number): string => (resource === "usd" ? `$${value.toFixed(4)}` : `${value} tokens`);
  return {
    ok: false,
    kind: "budget",
    scope,
    resource,
    limit,
    used,
    estimate,
    message: `The ${scope} budget of ${unit(limit)} would be exceeded: ${unit(used)} used, this call could take ${unit(estimate)}.`,
  };
}
