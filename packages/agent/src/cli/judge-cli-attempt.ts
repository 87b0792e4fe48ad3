import { AbortError, type AttemptOutcome, type Handoff, messageOf, type Usage } from "@longshot/core";
import type { GatewayRefusal } from "@longshot/gateway";
import type { CommitAuthor } from "@longshot/sandbox";
import { reconcileHandoff } from "../handoff.js";
import type { AttemptResult, HarnessName, HarnessRunInput } from "../harness.js";
import type { StopReason } from "../internal/attempt-watchdog.js";
import { changedFiles } from "../internal/changed-files.js";
import { runChecks } from "../internal/run-checks.js";
import type { CheckCommand } from "../tools/command-tools.js";
import { truncateOutput } from "../truncate-output.js";

/** What a CLI run left behind, to judge. */
export interface CliRunRecord {
  readonly input: HarnessRunInput;
  readonly harness: HarnessName;
  readonly author: CommitAuthor;
  readonly checks: readonly CheckCommand[];
  /** Why the orchestrator stopped the CLI, or null when it exited on its own. */
  readonly stop: StopReason | null;
  readonly exitCode: number | null;
  /** Tokens and calls as the gateway metered them. */
  readonly usage: Usage;
  readonly turns: number;
  /** Why the gateway refused a call of the attempt, if it did. */
  readonly refusal: GatewayRefusal | null;
  readonly lastText: string;
  readonly errors: readonly string[];
}

/**
 * Judges an external CLI's attempt by what it left in the workspace, never by its exit code:
 * no changes → `failed`; changes and every check passing → `complete`; changes with a failing
 * check → `partial`. A stopped run (stuck, timeout) keeps that outcome, and one the gateway
 * stopped at a budget or token cap ends `budget`; their changes are still committed. A run
 * stopped at the turn limit is judged like any other, with the limit noted. Cancelled runs are
 * not committed.
 */
export async function judgeCliAttempt(record: CliRunRecord): Promise<AttemptResult> {
  const { input } = record;
  const base = { usage: record.usage, turns: record.turns };
  if (record.stop === "cancelled" || input.signal.aborted) {
    return {
      ...base,
      outcome: "cancelled",
      reason: "The attempt was cancelled.",
      commit: null,
      handoff: handoffOf(record, "failed", [], ["Cancelled."]),
    };
  }
  try {
    const files = (await changedFiles(input.sandbox, input.signal)) ?? [];
    const { outcome, reason, concerns } = await verdict(record, files);
    const status = outcome === "complete" || outcome === "partial" ? outcome : "failed";
    const handoff = reconcileHandoff(handoffOf(record, status, files, concerns), files, input.task.scope);
    const commit =
      files.length === 0
        ? null
        : await input.sandbox.commit({
            message: commitMessage(record, handoff),
            author: record.author,
            signal: input.signal,
          });
    return { ...base, outcome, reason, handoff, commit };
  } catch (error) {
    if (input.signal.aborted || error instanceof AbortError) {
      return {
        ...base,
        outcome: "cancelled",
        reason: "The attempt was cancelled.",
        commit: null,
        handoff: handoffOf(record, "failed", [], []),
      };
    }
    const reason = `The ${record.harness} attempt could not be judged or committed: ${messageOf(error)}`;
    return {
      ...base,
      outcome: "failed",
      reason,
      commit: null,
      handoff: handoffOf(record, "failed", [], [reason]),
    };
  }
}

async function verdict(
  record: CliRunRecord,
  files: readonly string[],
): Promise<{ outcome: AttemptOutcome; reason: string; concerns: string[] }> {
  const concerns = record.errors.slice(0, 5).map((error) => `${record.harness} reported: ${error}`);
  const refusal = record.refusal;
  if (refusal !== null && refusal.kind !== "turns") {
    return { outcome: "budget", reason: refusal.message, concerns: [...concerns, refusal.message] };
  }
  if (refusal !== null) concerns.push(refusal.message);
  if (record.stop === "stuck" || record.stop === "timeout") {
    const reason =
      record.stop === "stuck"
        ? `${record.harness} made no progress for ${Math.round(record.input.limits.stuckTimeoutMs / 1000)} seconds and was stopped.`
        : `${record.harness} ran out of its ${Math.round(record.input.limits.wallTimeMs / 1000)} seconds and was killed.`;
    return { outcome: record.stop, reason, concerns: [...concerns, reason] };
  }
  if (files.length === 0) {
    const reason =
      refusal !== null
        ? `${record.harness} used all ${record.input.limits.maxTurns} model turns without changing any file.`
        : `${record.harness} exited with code ${record.exitCode ?? "unknown"} and changed no files${launcherProblem(record)}.`;
    return { outcome: "failed", reason, concerns: [...concerns, reason] };
  }
  const runs = await runChecks(record.input.sandbox, record.checks, record.input.signal);
  const failing = runs.filter((run) => !run.passed).map((run) => run.check.name);
  if (failing.length === 0) {
    return {
      outcome: "complete",
      reason: `${record.harness} changed ${files.length} files and every check passed.`,
      concerns,
    };
  }
  const reason = `${record.harness} changed ${files.length} files but these checks fail: ${failing.join(", ")}.`;
  return { outcome: "partial", reason, concerns: [...concerns, reason] };
}

/** The launcher's own complaint (a missing program, an unreachable gateway), as a clause. */
function launcherProblem(record: CliRunRecord): string {
  const problem = record.errors.find((error) =>
    /not found on the sandbox's PATH|gateway unreachable|could not/.test(error),
  );
  return problem === undefined ? "" : `: ${problem}`;
}

function handoffOf(
  record: CliRunRecord,
  status: Handoff["status"],
  files: readonly string[],
  concerns: readonly string[],
): Handoff {
  const summary =
    record.lastText.trim() === ""
      ? `${record.harness} left no summary.`
      : truncateOutput(record.lastText.trim(), { maxChars: 4000 });
  return { status, summary, filesChanged: [...files], concerns: [...concerns], suggestions: [] };
}

function commitMessage(record: CliRunRecord, handoff: Handoff): string {
  const title = record.input.task.title.replace(/\s+/g, " ").slice(0, 72);
  return `${title}\n\n${handoff.summary}\n\nLongshot-Task: ${record.input.task.id}\nLongshot-Attempt: ${record.input.attempt}\nLongshot-Harness: ${record.harness}\n`;
}
