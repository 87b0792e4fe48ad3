import type { DatabaseSync, SQLInputValue, SQLOutputValue, StatementSync } from "node:sqlite";
import { assertNever, type LongshotEvent } from "@longshot/core";
import { projectionTables } from "./migrations.js";

type Statements = Record<
  | "runStart"
  | "runStatus"
  | "runEnd"
  | "runHead"
  | "taskAdd"
  | "taskState"
  | "taskAttempts"
  | "attemptStart"
  | "attemptEnd"
  | "judgeVerdict"
  | "modelCallStart"
  | "modelCallEnd"
  | "toolCallStart"
  | "toolCallEnd"
  | "merge"
  | "mergeRevert"
  | "healthCheck"
  | "fix"
  | "taskSelect"
  | "taskUpdate",
  StatementSync
>;

const sql: Record<keyof Statements, string> = {
  runStart: `INSERT INTO runs (run_id, request, repo, base_commit, target_branch, integration_branch, settings,
      status, reason, head, started_at, ended_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, 'running', NULL, ?, ?, NULL, ?)
    ON CONFLICT (run_id) DO UPDATE SET request = excluded.request, repo = excluded.repo,
      base_commit = excluded.base_commit, target_branch = excluded.target_branch,
      integration_branch = excluded.integration_branch, settings = excluded.settings,
      status = 'running', updated_at = excluded.updated_at`,
  runStatus: "UPDATE runs SET status = ?, reason = ?, updated_at = ? WHERE run_id = ?",
  runEnd:
    "UPDATE runs SET status = ?, reason = ?, head = coalesce(?, head), ended_at = ?, updated_at = ? WHERE run_id = ?",
  runHead: "UPDATE runs SET head = ?, updated_at = ? WHERE run_id = ?",
  taskAdd: `INSERT OR REPLACE INTO tasks (run_id, task_id, kind, title, description, acceptance, scope, depends_on,
      priority, size, composite, context, branch, parent_id, state, attempts, fingerprint, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  taskState: "UPDATE tasks SET state = ?, updated_at = ? WHERE run_id = ? AND task_id = ?",
  taskAttempts:
    "UPDATE tasks SET attempts = max(attempts, ?), updated_at = ? WHERE run_id = ? AND task_id = ?",
  taskSelect:
    "SELECT title, description, acceptance, scope, depends_on, priority, context FROM tasks WHERE run_id = ? AND task_id = ?",
  taskUpdate: `UPDATE tasks SET title = ?, description = ?, acceptance = ?, scope = ?, depends_on = ?, priority = ?,
      context = ?, updated_at = ? WHERE run_id = ? AND task_id = ?`,
  attemptStart: `INSERT OR REPLACE INTO attempts (run_id, task_id, number, model, harness, sandbox, base_commit,
      started_at, ended_at, outcome, commit_sha, handoff, reason, accepted, feedback)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
  attemptEnd: `UPDATE attempts SET ended_at = ?, outcome = ?, commit_sha = ?, handoff = ?, reason = ?
    WHERE run_id = ? AND task_id = ? AND number = ?`,
  judgeVerdict:
    "UPDATE attempts SET accepted = ?, feedback = ? WHERE run_id = ? AND task_id = ? AND number = ?",
  modelCallStart: `INSERT INTO model_calls (run_id, call_id, role, task_id, model, endpoint, started_at)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, call_id) DO NOTHING`,
  modelCallEnd: `INSERT INTO model_calls (run_id, call_id, role, task_id, model, endpoint, started_at, ended_at, ok,
      error, prompt_tokens, completion_tokens, cached_tokens, cost_usd, duration_ms, retries)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (run_id, call_id) DO UPDATE SET ended_at = excluded.ended_at, ok = excluded.ok,
      error = excluded.error, prompt_tokens = excluded.prompt_tokens,
      completion_tokens = excluded.completion_tokens, cached_tokens = excluded.cached_tokens,
      cost_usd = excluded.cost_usd, duration_ms = excluded.duration_ms, retries = excluded.retries`,
  toolCallStart: `INSERT INTO tool_calls (run_id, call_id, task_id, attempt, tool, input, started_at)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, call_id) DO NOTHING`,
  toolCallEnd: `INSERT INTO tool_calls (run_id, call_id, task_id, attempt, tool, input, started_at, ended_at, ok,
      output, duration_ms)
    VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?)
    ON CONFLICT (run_id, call_id) DO UPDATE SET ended_at = excluded.ended_at, ok = excluded.ok,
      output = excluded.output, duration_ms = excluded.duration_ms`,
  merge: `INSERT INTO merges (run_id, seq, task_id, attempt, outcome, sha, previous, strategy, files, at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  mergeRevert:
    "UPDATE merges SET reverted_by = ?, revert_reason = ? WHERE run_id = ? AND sha = ? AND outcome = 'landed'",
  healthCheck:
    "INSERT INTO health_checks (run_id, seq, at, commit_sha, green, checks) VALUES (?, ?, ?, ?, ?, ?)",
  fix: "INSERT OR REPLACE INTO fixes (run_id, task_id, fingerprint, culprit, at) VALUES (?, ?, ?, ?, ?)",
};

const flag = (value: boolean): number => (value ? 1 : 0);

/**
 * Applies events to the projection tables. It reads nothing but the event (timestamps come from
 * `event.at`), so replaying the log reproduces the tables exactly.
 */
type EventOf<T extends LongshotEvent["type"]> = Extract<LongshotEvent, { type: T }>;

export class Projector {
  readonly #db: DatabaseSync;
  readonly #statements: Statements;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#statements = Object.fromEntries(
      Object.entries(sql).map(([name, text]) => [name, db.prepare(text)]),
    ) as Statements;
  }

  /** Empties every projection table (inside the caller's transaction). */
  clear(): void {
    for (const table of projectionTables) this.#db.exec(`DELETE FROM ${table}`);
  }

  apply(event: LongshotEvent): void {
    switch (event.type) {
      case "run-start":
      case "run-resume":
      case "run-unpause":
      case "run-pause":
      case "run-drain":
      case "run-end":
        this.#applyRun(event);
        return;
      case "task-add":
      case "task-update":
      case "task-transition":
      case "attempt-start":
      case "attempt-end":
      case "judge-verdict":
        this.#applyTask(event);
        return;
      case "model-call-start":
      case "model-call-end":
      case "tool-call-start":
      case "tool-call-end":
        this.#applyCall(event);
        return;
      case "merge-land":
      case "merge-conflict":
      case "merge-gate":
      case "merge-revert":
      case "health-check":
      case "fix-create":
        this.#applyMerge(event);
        return;
      case "critic-report":
      case "plan-start":
      case "plan-batch":
      case "plan-reject":
      case "plan-complete":
      case "budget-refuse":
      case "model-call-retry":
      case "agent-text":
      case "sandbox-create":
      case "sandbox-destroy":
      case "merge-enqueue":
      case "merge-push":
      case "merge-auto-resolved":
      case "conflict-resolution":
      case "target-update":
      case "log":
        return;
      default:
        assertNever(event, "Unknown event type");
    }
  }

  /** The run's row: start, status changes, end. */
  #applyRun(
    event: EventOf<"run-start" | "run-resume" | "run-unpause" | "run-pause" | "run-drain" | "run-end">,
  ): void {
    const s = this.#statements;
    const { runId, at } = event;
    switch (event.type) {
      case "run-start":
        s.runStart.run(
          runId,
          event.request,
          event.repo,
          event.baseCommit,
          event.targetBranch,
          event.integrationBranch,
          JSON.stringify(event.settings),
          event.baseCommit,
          at,
          at,
        );
        return;
      case "run-resume":
      case "run-unpause":
        s.runStatus.run("running", null, at, runId);
        return;
      case "run-pause":
        s.runStatus.run("paused", null, at, runId);
        return;
      case "run-drain":
        s.runStatus.run("draining", event.reason, at, runId);
        return;
      case "run-end":
        s.runEnd.run(event.status, event.reason, event.head, at, at, runId);
        return;
    }
  }

  /** Tasks and their attempts. */
  #applyTask(
    event: EventOf<
      "task-add" | "task-update" | "task-transition" | "attempt-start" | "attempt-end" | "judge-verdict"
    >,
  ): void {
    const s = this.#statements;
    const { runId, at } = event;
    switch (event.type) {
      case "task-add":
        this.#addTask(event);
        return;
      case "task-update":
        this.#updateTask(event);
        return;
      case "task-transition":
        s.taskState.run(event.to, at, runId, event.taskId);
        return;
      case "attempt-start":
        s.attemptStart.run(
          runId,
          event.taskId,
          event.attempt,
          event.model,
          event.harness,
          event.sandbox,
          event.baseCommit,
          at,
        );
        s.taskAttempts.run(event.attempt, at, runId, event.taskId);
        return;
      case "attempt-end":
        s.attemptEnd.run(
          at,
          event.outcome,
          event.commit,
          event.handoff === null ? null : JSON.stringify(event.handoff),
          event.reason,
          runId,
          event.taskId,
          event.attempt,
        );
        return;
      case "judge-verdict":
        s.judgeVerdict.run(flag(event.accepted), event.feedback, runId, event.taskId, event.attempt);
        return;
    }
  }

  /** Model and tool calls. */
  #applyCall(
    event: EventOf<"model-call-start" | "model-call-end" | "tool-call-start" | "tool-call-end">,
  ): void {
    const s = this.#statements;
    const { runId, at } = event;
    switch (event.type) {
      case "model-call-start":
        s.modelCallStart.run(runId, event.callId, event.role, event.taskId, event.model, event.endpoint, at);
        return;
      case "model-call-end":
        s.modelCallEnd.run(
          runId,
          event.callId,
          event.role,
          event.taskId,
          event.model,
          event.endpoint,
          at - event.durationMs,
          at,
          flag(event.ok),
          event.error,
          event.usage.promptTokens,
          event.usage.completionTokens,
          event.usage.cachedTokens,
          event.costUsd,
          event.durationMs,
          event.retries,
        );
        return;
      case "tool-call-start":
        s.toolCallStart.run(runId, event.callId, event.taskId, event.attempt, event.tool, event.input, at);
        return;
      case "tool-call-end":
        s.toolCallEnd.run(
          runId,
          event.callId,
          event.taskId,
          event.attempt,
          event.tool,
          at - event.durationMs,
          at,
          flag(event.ok),
          event.output,
          event.durationMs,
        );
        return;
    }
  }

  /** Landings, conflicts, gate failures, reverts, health checks and fix tasks. */
  #applyMerge(
    event: EventOf<
      "merge-land" | "merge-conflict" | "merge-gate" | "merge-revert" | "health-check" | "fix-create"
    >,
  ): void {
    const s = this.#statements;
    const { runId, at } = event;
    switch (event.type) {
      case "merge-land":
        s.merge.run(
          runId,
          event.seq,
          event.taskId,
          event.attempt,
          event.noop ? "no-op" : "landed",
          event.sha,
          event.previous,
          event.strategy,
          "[]",
          at,
        );
        s.runHead.run(event.sha, at, runId);
        return;
      case "merge-conflict":
        s.merge.run(
          runId,
          event.seq,
          event.taskId,
          event.attempt,
          "conflict",
          null,
          null,
          null,
          JSON.stringify(event.files),
          at,
        );
        return;
      case "merge-gate":
        if (!event.pass) {
          for (const taskId of event.taskIds) {
            s.merge.run(runId, event.seq, taskId, 0, "gate-failed", null, null, null, "[]", at);
          }
        }
        return;
      case "merge-revert":
        s.mergeRevert.run(event.sha, event.reason, runId, event.reverted);
        s.runHead.run(event.sha, at, runId);
        return;
      case "health-check":
        s.healthCheck.run(
          runId,
          event.seq,
          at,
          event.commit,
          flag(event.green),
          JSON.stringify(event.checks),
        );
        return;
      case "fix-create":
        s.fix.run(runId, event.taskId, event.fingerprint, event.culprit, at);
        return;
    }
  }

  #addTask(event: Extract<LongshotEvent, { type: "task-add" }>): void {
    const task = event.task;
    this.#statements.taskAdd.run(
      event.runId,
      task.id,
      task.kind,
      task.title,
      task.description,
      JSON.stringify(task.acceptance),
      JSON.stringify(task.scope),
      JSON.stringify(task.dependsOn),
      task.priority,
      task.size,
      flag(task.composite),
      task.context,
      task.branch,
      task.parentId,
      task.state,
      task.attempts,
      task.fingerprint,
      task.createdAt,
      event.at,
    );
  }

  #updateTask(event: Extract<LongshotEvent, { type: "task-update" }>): void {
    const s = this.#statements;
    const row = s.taskSelect.get(event.runId, event.taskId);
    if (row === undefined) return;
    const { changes } = event;
    const list = (value: readonly string[] | undefined, current: SQLOutputValue): SQLInputValue =>
      value === undefined ? current : JSON.stringify(value);
    s.taskUpdate.run(
      changes.title ?? row.title ?? null,
      changes.description ?? row.description ?? null,
      list(changes.acceptance, row.acceptance ?? null),
      list(changes.scope, row.scope ?? null),
      list(changes.dependsOn, row.depends_on ?? null),
      changes.priority ?? row.priority ?? null,
      changes.context ?? row.context ?? null,
      event.at,
      event.runId,
      event.taskId,
    );
  }
}
