import { AbortError, type AttemptOutcome, type Handoff, messageOf, type Usage } from "@longshot/core";
import type { AgentLoopOptions } from "../agent-loop-options.js";
import { failedHandoff, reconcileHandoff } from "../handoff.js";
import type { AttemptResult } from "../harness.js";
import type { StopReason } from "./attempt-watchdog.js";
import { changedFiles } from "./changed-files.js";

/** How the loop ended, plus what it used. */
export type AttemptEnd = (
  | { readonly kind: "handoff"; readonly handoff: Handoff }
  | { readonly kind: "stop"; readonly outcome: "failed" | "budget"; readonly reason: string }
  | { readonly kind: "stopped"; readonly reason: StopReason }
) & { readonly usage: Usage; readonly turns: number; readonly written: ReadonlySet<string> };

/**
 * Turns the loop's end into an attempt result: a handoff for every ending, the changed files
 * merged into it (and out-of-scope ones reported), and the work committed on the task branch
 * unless the attempt was cancelled. Work that could not be committed (a full disk, a ref lock)
 * fails the attempt, whatever the agent said of it: its files are not on the task branch, so
 * nothing of it could ever land. An attempt that changed nothing has nothing to commit.
 */
export async function finishAttempt(options: AgentLoopOptions, end: AttemptEnd): Promise<AttemptResult> {
  const { outcome, reason, handoff } = describe(options, end);
  const result = { outcome, reason, handoff, usage: end.usage, turns: end.turns, commit: null };
  if (outcome === "cancelled") return result;
  let reconciled = handoff;
  try {
    const files = (await changedFiles(options.sandbox, options.signal)) ?? [...end.written];
    reconciled = reconcileHandoff(handoff, files, options.task.scope);
    const commit = await options.sandbox.commit({
      message: commitMessage(options, reconciled),
      author: options.author,
      signal: options.signal,
    });
    return { ...result, handoff: reconciled, commit };
  } catch (error) {
    if (options.signal.aborted || error instanceof AbortError) {
      return { ...result, outcome: "cancelled", reason: "The attempt was cancelled while committing." };
    }
    const concern = `The changes could not be committed: ${messageOf(error)}`;
    options.emit({ type: "log", level: "warn", message: concern, taskId: options.task.id });
    return {
      ...result,
      outcome: "failed",
      reason: `${concern}.`,
      handoff: { ...reconciled, status: "failed", concerns: [...reconciled.concerns, concern] },
    };
  }
}

function describe(
  options: AgentLoopOptions,
  end: AttemptEnd,
): { outcome: AttemptOutcome; reason: string; handoff: Handoff } {
  switch (end.kind) {
    case "handoff":
      return {
        outcome: end.handoff.status,
        reason: `The agent finished with status ${end.handoff.status}.`,
        handoff: end.handoff,
      };
    case "stop":
      return { outcome: end.outcome, reason: end.reason, handoff: failedHandoff(end.reason) };
    case "stopped": {
      const reason = stopSentence(options, end.reason);
      return {
        outcome: end.reason === "stuck" ? "stuck" : end.reason,
        reason,
        handoff: failedHandoff(reason),
      };
    }
  }
}

function stopSentence(options: AgentLoopOptions, reason: StopReason): string {
  switch (reason) {
    case "cancelled":
      return "The attempt was cancelled.";
    case "stuck":
      return `The attempt made no progress for ${Math.round(options.limits.stuckTimeoutMs / 1000)} seconds and was stopped as stuck.`;
    case "timeout":
      return `The attempt ran out of its ${Math.round(options.limits.wallTimeMs / 1000)} seconds of wall time.`;
  }
}

function commitMessage(options: AgentLoopOptions, handoff: Handoff): string {
  const title = options.task.title.replace(/\s+/g, " ").slice(0, 72);
  return `${title}\n\n${handoff.summary}\n\nLongshot-Task: ${options.task.id}\nLongshot-Attempt: ${options.attempt}\nLongshot-Status: ${handoff.status}\n`;
}
