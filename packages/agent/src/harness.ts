import type { AttemptOutcome, EmitEvent, Handoff, HarnessKind, Task, Usage } from "@longshot/core";
import type { Sandbox } from "@longshot/sandbox";

/** Which agent runs tasks (WORKER_HARNESS): one of core's `harnessKinds`. */
export type HarnessName = HarnessKind;

/** The parts of a task an agent works from. A core `Task` fits. */
export type AgentTask = Pick<
  Task,
  "id" | "runId" | "title" | "description" | "acceptance" | "scope" | "context"
>;

/** Limits of one attempt. */
export interface HarnessLimits {
  /** Model turns (AGENT_MAX_TURNS). External CLIs get it where they have such a setting. */
  readonly maxTurns: number;
  /** Tokens (prompt plus completion) the attempt may use; absent means no cap (TASK_MAX_TOKENS). */
  readonly maxTokens?: number;
  /** Wall time of the attempt (WORKER_TIMEOUT); the attempt ends as `timeout`. */
  readonly wallTimeMs: number;
  /** Time without activity before the attempt ends as `stuck` (AGENT_STUCK_TIMEOUT). */
  readonly stuckTimeoutMs: number;
}

/** One attempt of one task. */
export interface HarnessRunInput {
  readonly task: AgentTask;
  /** 1-based attempt number, as recorded in events. */
  readonly attempt: number;
  /** A live sandbox on the task branch; the harness never destroys it. */
  readonly sandbox: Sandbox;
  /** Model for this attempt (the alternate worker model after a failed attempt). */
  readonly model: string;
  /**
   * Whose work this is: `worker` for planned tasks, `fixer` for the reconciler's fix tasks. Model
   * calls carry it (ledger, cost by role) and the built-in agent takes the role's instructions.
   * Default `worker`.
   */
  readonly role?: "worker" | "fixer";
  readonly limits: HarnessLimits;
  /** What went wrong in the previous attempt, for the agent to avoid it. */
  readonly feedback?: string;
  /** Aborting ends the attempt as `cancelled`, killing the agent's processes. */
  readonly signal: AbortSignal;
  /** Receives `agent-text`, `tool-call-start` / `-end` and `log` events as they happen. */
  readonly emit: EmitEvent;
}

/** How an attempt ended. Expected failures (stuck, timeout, budget, failed) are results, not errors. */
export interface AttemptResult {
  readonly outcome: AttemptOutcome;
  /** Always present and valid: the agent's own, or one the harness wrote for it. */
  readonly handoff: Handoff;
  readonly usage: Usage;
  /** The commit on the task branch holding the attempt's changes, or null when nothing changed. */
  readonly commit: string | null;
  /** One sentence on why the attempt ended, for `attempt-end`. */
  readonly reason: string;
  /** Model turns taken (as reported, for external CLIs). */
  readonly turns: number;
}

/**
 * An agent that works one task attempt inside a sandbox: the built-in loop or an external
 * coding CLI. The engine calls every harness the same way; which one runs is configuration.
 */
export interface Harness {
  readonly name: HarnessName;
  /**
   * Runs one attempt to its end. Resolves with the result for every expected ending, including
   * cancellation (`cancelled`). Rejects only for misconfiguration or bugs.
   */
  run(input: HarnessRunInput): Promise<AttemptResult>;
}
