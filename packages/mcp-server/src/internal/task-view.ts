import type { Task } from "@longshot/core";
import type { AttemptRecord, TaskDetail, ToolCallRecord } from "@longshot/store";
import { iso } from "./run-view.js";

const recentCalls = 8;
const recentFailures = 3;

/** Text cut to `max` characters, marking what was left out. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** A task as list_tasks shows it. */
export function taskRow(task: Task): Record<string, unknown> {
  return {
    id: task.id,
    title: task.title,
    state: task.state,
    kind: task.kind,
    attempts: task.attempts,
    priority: task.priority,
    dependsOn: task.dependsOn,
    scope: task.scope,
  };
}

function attemptView(attempt: AttemptRecord): Record<string, unknown> {
  return {
    number: attempt.number,
    model: attempt.model,
    harness: attempt.harness,
    sandbox: attempt.sandbox,
    outcome: attempt.outcome,
    reason: attempt.reason,
    accepted: attempt.accepted,
    feedback: attempt.feedback,
    commit: attempt.commit,
    startedAt: iso(attempt.startedAt),
    endedAt: iso(attempt.endedAt),
  };
}

function callView(call: ToolCallRecord, outputChars: number): Record<string, unknown> {
  return {
    tool: call.tool,
    input: clip(call.input, 160),
    ok: call.ok,
    output: call.output === null ? null : clip(call.output, outputChars),
    durationMs: call.durationMs,
  };
}

/**
 * What the agent did in each attempt, from its tool calls: how many of each tool, how many
 * failed, the last few calls and the last failures with their output.
 */
export function transcriptSummary(calls: readonly ToolCallRecord[]): Record<string, unknown>[] {
  const byAttempt = new Map<number, ToolCallRecord[]>();
  for (const call of calls) byAttempt.set(call.attempt, [...(byAttempt.get(call.attempt) ?? []), call]);
  return [...byAttempt.entries()]
    .sort(([a], [b]) => a - b)
    .map(([attempt, list]) => {
      const byTool: Record<string, number> = {};
      for (const call of list) byTool[call.tool] = (byTool[call.tool] ?? 0) + 1;
      const failures = list.filter((call) => call.ok === false);
      return {
        attempt,
        toolCalls: list.length,
        failedCalls: failures.length,
        byTool,
        durationMs: list.reduce((sum, call) => sum + (call.durationMs ?? 0), 0),
        lastCalls: list.slice(-recentCalls).map((call) => callView(call, 240)),
        lastFailures: failures.slice(-recentFailures).map((call) => callView(call, 800)),
      };
    });
}

/** A task as get_task shows it: the task, its attempts, handoffs, merges and transcript summary. */
export function taskDetailView(
  detail: TaskDetail,
  calls: readonly ToolCallRecord[],
): Record<string, unknown> {
  const { task } = detail;
  return {
    task: {
      ...taskRow(task),
      description: task.description,
      acceptance: task.acceptance,
      size: task.size,
      context: task.context,
      branch: task.branch,
      parentId: task.parentId,
      fingerprint: task.fingerprint,
      createdAt: iso(task.createdAt),
    },
    attempts: detail.attempts.map(attemptView),
    handoffs: detail.handoffs,
    merges: detail.merges.map((merge) => ({
      attempt: merge.attempt,
      outcome: merge.outcome,
      sha: merge.sha,
      files: merge.files,
      revertedBy: merge.revertedBy,
      at: iso(merge.at),
    })),
    fix: detail.fix,
    transcript: transcriptSummary(calls),
  };
}
