import type { DatabaseSync, StatementSync } from "node:sqlite";
import {
  type Attempt,
  AttemptOutcomeSchema,
  HandoffSchema,
  HealthCheckSchema,
  MergeOutcomeSchema,
  RoleSchema,
  RunStatusSchema,
  type Task,
  TaskKindSchema,
  TaskSizeSchema,
  TaskStateSchema,
  taskStates,
} from "@longshot/core";
import { z } from "zod";
import type {
  AttemptRecord,
  CostRow,
  FixRecord,
  HealthSweep,
  MergeRecord,
  RunSummary,
  TaskDetail,
  TaskFilter,
  ToolCallRecord,
} from "../store.js";
import { boolOrNull, json, jsonOrNull, num, numOrNull, type Row, text, textOrNull } from "./row.js";

const strings = z.array(z.string());
const settings = z.record(z.string(), z.unknown());
const checks = z.array(HealthCheckSchema);
const costColumns = `count(*) AS calls, coalesce(sum(prompt_tokens), 0) AS prompt_tokens,
  coalesce(sum(completion_tokens), 0) AS completion_tokens, coalesce(sum(cached_tokens), 0) AS cached_tokens,
  coalesce(sum(cost_usd), 0) AS cost_usd`;
const anyOf = (column: string): string => `(? IS NULL OR ${column} IN (SELECT value FROM json_each(?)))`;

const sql = {
  runs: "SELECT * FROM runs ORDER BY started_at DESC, run_id DESC",
  run: "SELECT * FROM runs WHERE run_id = ?",
  lastSeq: "SELECT coalesce(max(seq), 0) AS seq FROM events WHERE run_id = ?",
  taskCounts: "SELECT state, count(*) AS n FROM tasks WHERE run_id = ? GROUP BY state",
  cost: `SELECT ${costColumns} FROM model_calls WHERE run_id = ?`,
  mergeCounts: `SELECT sum(outcome = 'landed') AS landed, sum(outcome = 'conflict') AS conflicts,
    sum(reverted_by IS NOT NULL) AS reverted FROM merges WHERE run_id = ?`,
  lastHealth: "SELECT * FROM health_checks WHERE run_id = ? ORDER BY seq DESC LIMIT 1",
  health:
    "SELECT * FROM (SELECT * FROM health_checks WHERE run_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq",
  tasks: `SELECT * FROM tasks WHERE run_id = ? AND ${anyOf("state")} AND ${anyOf("kind")} ORDER BY task_id`,
  task: "SELECT * FROM tasks WHERE run_id = ? AND task_id = ?",
  attempts: "SELECT * FROM attempts WHERE run_id = ? AND task_id = ? ORDER BY number",
  fix: "SELECT * FROM fixes WHERE run_id = ? AND task_id = ?",
  fixes: "SELECT * FROM fixes WHERE run_id = ? ORDER BY at, task_id",
  merges: "SELECT * FROM merges WHERE run_id = ? ORDER BY seq, task_id",
  taskMerges: "SELECT * FROM merges WHERE run_id = ? AND task_id = ? ORDER BY seq",
  toolCalls: `SELECT * FROM tool_calls WHERE run_id = ? AND task_id = ? AND (? IS NULL OR attempt = ?)
    ORDER BY started_at, call_id`,
  costByRole: `SELECT role AS key, ${costColumns} FROM model_calls WHERE run_id = ? GROUP BY role ORDER BY cost_usd DESC, key`,
  costByModel: `SELECT model AS key, ${costColumns} FROM model_calls WHERE run_id = ? GROUP BY model ORDER BY cost_usd DESC, key`,
} as const;

type Statements = Record<keyof typeof sql, StatementSync>;

const list = <T>(value: T | readonly T[] | undefined): string | null =>
  value === undefined ? null : JSON.stringify(Array.isArray(value) ? value : [value]);

/** Read side of the store: prepared statements over the projection tables. */
export class Queries {
  readonly #s: Statements;

  constructor(db: DatabaseSync) {
    this.#s = Object.fromEntries(
      Object.entries(sql).map(([name, text]) => [name, db.prepare(text)]),
    ) as Statements;
  }

  lastSeq(runId: string): number {
    const row = this.#s.lastSeq.get(runId);
    return row === undefined ? 0 : num(row, "seq");
  }

  listRuns(): RunSummary[] {
    return this.#s.runs.all().map((row) => this.#summary(row));
  }

  getRun(runId: string): RunSummary | null {
    const row = this.#s.run.get(runId);
    return row === undefined ? null : this.#summary(row);
  }

  listTasks(runId: string, filter: TaskFilter = {}): Task[] {
    const states = list(filter.state);
    const kinds = list(filter.kind);
    return this.#s.tasks.all(runId, states, states, kinds, kinds).map(toTask);
  }

  getTask(runId: string, taskId: string): TaskDetail | null {
    const row = this.#s.task.get(runId, taskId);
    if (row === undefined) return null;
    const attempts = this.#s.attempts.all(runId, taskId).map(toAttempt);
    const fix = this.#s.fix.get(runId, taskId);
    return {
      task: toTask(row),
      attempts,
      handoffs: attempts.flatMap((attempt) =>
        attempt.handoff === null ? [] : [{ attempt: attempt.number, handoff: attempt.handoff }],
      ),
      fix: fix === undefined ? null : toFix(fix),
      merges: this.#s.taskMerges.all(runId, taskId).map(toMerge),
    };
  }

  toolCalls(runId: string, taskId: string, attempt: number | undefined): ToolCallRecord[] {
    const number = attempt ?? null;
    return this.#s.toolCalls.all(runId, taskId, number, number).map(toToolCall);
  }

  costByRole(runId: string): CostRow<z.infer<typeof RoleSchema>>[] {
    return this.#s.costByRole.all(runId).map((row) => ({ ...toCost(row), key: RoleSchema.parse(row.key) }));
  }

  costByModel(runId: string): CostRow[] {
    return this.#s.costByModel.all(runId).map(toCost);
  }

  merges(runId: string): MergeRecord[] {
    return this.#s.merges.all(runId).map(toMerge);
  }

  fixes(runId: string): FixRecord[] {
    return this.#s.fixes.all(runId).map(toFix);
  }

  healthHistory(runId: string, limit: number | undefined): HealthSweep[] {
    return this.#s.health.all(runId, limit ?? -1).map(toHealth);
  }

  #summary(row: Row): RunSummary {
    const runId = text(row, "run_id");
    const tasks = Object.fromEntries(taskStates.map((state) => [state, 0])) as Record<
      (typeof taskStates)[number],
      number
    >;
    for (const count of this.#s.taskCounts.all(runId)) {
      tasks[TaskStateSchema.parse(count.state)] = num(count, "n");
    }
    const cost = toCost({ key: "", ...this.#s.cost.get(runId) });
    const merges = this.#s.mergeCounts.get(runId) ?? {};
    const health = this.#s.lastHealth.get(runId);
    return {
      runId,
      request: text(row, "request"),
      repo: text(row, "repo"),
      baseCommit: text(row, "base_commit"),
      targetBranch: text(row, "target_branch"),
      integrationBranch: text(row, "integration_branch"),
      settings: json(row, "settings", settings),
      status: RunStatusSchema.parse(row.status),
      reason: textOrNull(row, "reason"),
      head: textOrNull(row, "head"),
      startedAt: num(row, "started_at"),
      endedAt: numOrNull(row, "ended_at"),
      updatedAt: num(row, "updated_at"),
      lastSeq: this.lastSeq(runId),
      tasks,
      taskTotal: Object.values(tasks).reduce((sum, n) => sum + n, 0),
      usage: cost.usage,
      costUsd: cost.costUsd,
      modelCalls: cost.calls,
      merges: {
        landed: numOrNull(merges, "landed") ?? 0,
        conflicts: numOrNull(merges, "conflicts") ?? 0,
        reverted: numOrNull(merges, "reverted") ?? 0,
      },
      lastHealth: health === undefined ? null : toHealth(health),
    };
  }
}

function toTask(row: Row): Task {
  return {
    id: text(row, "task_id"),
    runId: text(row, "run_id"),
    kind: TaskKindSchema.parse(row.kind),
    title: text(row, "title"),
    description: text(row, "description"),
    acceptance: json(row, "acceptance", strings),
    scope: json(row, "scope", strings),
    dependsOn: json(row, "depends_on", strings),
    priority: num(row, "priority"),
    size: TaskSizeSchema.parse(row.size),
    composite: num(row, "composite") !== 0,
    context: text(row, "context"),
    branch: text(row, "branch"),
    parentId: textOrNull(row, "parent_id"),
    state: TaskStateSchema.parse(row.state),
    attempts: num(row, "attempts"),
    fingerprint: textOrNull(row, "fingerprint"),
    createdAt: num(row, "created_at"),
  };
}

function toAttempt(row: Row): AttemptRecord {
  const attempt: Attempt = {
    runId: text(row, "run_id"),
    taskId: text(row, "task_id"),
    number: num(row, "number"),
    model: text(row, "model"),
    harness: text(row, "harness"),
    sandbox: text(row, "sandbox"),
    baseCommit: text(row, "base_commit"),
    startedAt: num(row, "started_at"),
    endedAt: numOrNull(row, "ended_at"),
    outcome: row.outcome === null ? null : AttemptOutcomeSchema.parse(row.outcome),
    commit: textOrNull(row, "commit_sha"),
    handoff: jsonOrNull(row, "handoff", HandoffSchema),
    feedback: textOrNull(row, "feedback"),
  };
  return { ...attempt, accepted: boolOrNull(row, "accepted"), reason: textOrNull(row, "reason") };
}

function toMerge(row: Row): MergeRecord {
  return {
    runId: text(row, "run_id"),
    seq: num(row, "seq"),
    taskId: text(row, "task_id"),
    attempt: num(row, "attempt"),
    outcome: MergeOutcomeSchema.parse(row.outcome),
    sha: textOrNull(row, "sha"),
    previous: textOrNull(row, "previous"),
    strategy: textOrNull(row, "strategy"),
    files: json(row, "files", strings),
    at: num(row, "at"),
    revertedBy: textOrNull(row, "reverted_by"),
    revertReason: textOrNull(row, "revert_reason"),
  };
}

function toFix(row: Row): FixRecord {
  return {
    taskId: text(row, "task_id"),
    fingerprint: text(row, "fingerprint"),
    culprit: textOrNull(row, "culprit"),
    at: num(row, "at"),
  };
}

function toHealth(row: Row): HealthSweep {
  return {
    runId: text(row, "run_id"),
    seq: num(row, "seq"),
    at: num(row, "at"),
    commit: text(row, "commit_sha"),
    green: num(row, "green") !== 0,
    checks: json(row, "checks", checks),
  };
}

function toToolCall(row: Row): ToolCallRecord {
  return {
    callId: text(row, "call_id"),
    taskId: text(row, "task_id"),
    attempt: num(row, "attempt"),
    tool: text(row, "tool"),
    input: text(row, "input"),
    startedAt: num(row, "started_at"),
    endedAt: numOrNull(row, "ended_at"),
    ok: boolOrNull(row, "ok"),
    output: textOrNull(row, "output"),
    durationMs: numOrNull(row, "duration_ms"),
  };
}

function toCost(row: Row): CostRow {
  return {
    key: text(row, "key"),
    calls: num(row, "calls"),
    usage: {
      promptTokens: num(row, "prompt_tokens"),
      completionTokens: num(row, "completion_tokens"),
      cachedTokens: num(row, "cached_tokens"),
    },
    costUsd: num(row, "cost_usd"),
  };
}
