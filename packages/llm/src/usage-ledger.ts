import type { EventOf, Role, Usage } from "@longshot/core";

/** Sums over a set of calls. */
export interface UsageTotals {
  readonly calls: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens: number;
  /** Prompt plus completion tokens (cached tokens are part of the prompt). */
  readonly tokens: number;
  readonly costUsd: number;
}

/** One finished call, successful or not. */
export interface UsageEntry {
  readonly runId: string;
  readonly taskId: string | null;
  /** The task attempt (1-based), when the call belongs to one. */
  readonly attempt?: number;
  readonly role: Role;
  readonly model: string;
  readonly usage: Usage;
  readonly costUsd: number;
}

/** Spend held for a call in flight, at its estimate. */
export interface SpendEstimate {
  readonly tokens: number;
  readonly usd: number;
}

/** Handle of a reservation; `release` is idempotent. */
export interface Reservation {
  release(): void;
}

const emptyTotals: UsageTotals = {
  calls: 0,
  promptTokens: 0,
  completionTokens: 0,
  cachedTokens: 0,
  tokens: 0,
  costUsd: 0,
};

/**
 * Tokens and cost per call, summed per run, task, role and model. Calls in flight can hold a
 * reservation at their estimate, so budget checks of concurrent calls see each other.
 * Rebuild it after a restart by replaying the run's `model-call-end` events.
 */
export class UsageLedger {
  readonly #totals = new Map<string, UsageTotals>();
  readonly #reserved = new Map<string, SpendEstimate>();

  /** Adds a finished call to its run, task, role and model. */
  record(entry: UsageEntry): void {
    for (const key of keysOf(entry)) {
      const before = this.#totals.get(key) ?? emptyTotals;
      this.#totals.set(key, {
        calls: before.calls + 1,
        promptTokens: before.promptTokens + entry.usage.promptTokens,
        completionTokens: before.completionTokens + entry.usage.completionTokens,
        cachedTokens: before.cachedTokens + entry.usage.cachedTokens,
        tokens: before.tokens + entry.usage.promptTokens + entry.usage.completionTokens,
        costUsd: before.costUsd + entry.costUsd,
      });
    }
  }

  /** Adds a recorded `model-call-end` event (for example while resuming a run). */
  replay(
    runId: string,
    event: Pick<EventOf<"model-call-end">, "taskId" | "attempt" | "role" | "model" | "usage" | "costUsd">,
  ): void {
    this.record({
      runId,
      taskId: event.taskId,
      ...(event.attempt === undefined ? {} : { attempt: event.attempt }),
      role: event.role,
      model: event.model,
      usage: event.usage,
      costUsd: event.costUsd,
    });
  }

  run(runId: string): UsageTotals {
    return this.#totals.get(runKey(runId)) ?? emptyTotals;
  }

  task(runId: string, taskId: string): UsageTotals {
    return this.#totals.get(taskKey(runId, taskId)) ?? emptyTotals;
  }

  /** What one attempt of a task spent (calls that named their attempt). */
  attempt(runId: string, taskId: string, attempt: number): UsageTotals {
    return this.#totals.get(attemptKey(runId, taskId, attempt)) ?? emptyTotals;
  }

  role(runId: string, role: Role): UsageTotals {
    return this.#totals.get(roleKey(runId, role)) ?? emptyTotals;
  }

  model(runId: string, model: string): UsageTotals {
    return this.#totals.get(modelKey(runId, model)) ?? emptyTotals;
  }

  /** Holds `estimate` against the run and, when given, the task until released. */
  reserve(runId: string, taskId: string | null, estimate: SpendEstimate): Reservation {
    const keys = taskId === null ? [runKey(runId)] : [runKey(runId), taskKey(runId, taskId)];
    for (const key of keys) this.#adjust(key, estimate, 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        for (const key of keys) this.#adjust(key, estimate, -1);
      },
    };
  }

  /** Spend held by calls in flight in the run, or in one task of it. */
  reserved(runId: string, taskId?: string): SpendEstimate {
    const key = taskId === undefined ? runKey(runId) : taskKey(runId, taskId);
    return this.#reserved.get(key) ?? { tokens: 0, usd: 0 };
  }

  #adjust(key: string, estimate: SpendEstimate, sign: 1 | -1): void {
    const before = this.#reserved.get(key) ?? { tokens: 0, usd: 0 };
    const after = { tokens: before.tokens + sign * estimate.tokens, usd: before.usd + sign * estimate.usd };
    if (after.tokens <= 0 && after.usd <= 1e-12) this.#reserved.delete(key);
    else this.#reserved.set(key, after);
  }
}

const runKey = (runId: string): string => `run\u0000${runId}`;
const taskKey = (runId: string, taskId: string): string => `task\u0000${runId}\u0000${taskId}`;
const roleKey = (runId: string, role: Role): string => `role\u0000${runId}\u0000${role}`;
const modelKey = (runId: string, model: string): string => `model\u0000${runId}\u0000${model}`;

const attemptKey = (runId: string, taskId: string, attempt: number): string =>
  `attempt\u0000${runId}\u0000${taskId}\u0000${attempt}`;

function keysOf(entry: UsageEntry): string[] {
  const { runId, taskId, attempt } = entry;
  const keys = [runKey(runId), roleKey(runId, entry.role), modelKey(runId, entry.model)];
  if (taskId !== null) keys.push(taskKey(runId, taskId));
  if (taskId !== null && attempt !== undefined) keys.push(attemptKey(runId, taskId, attempt));
  return keys;
}
