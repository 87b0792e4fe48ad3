import type { LongshotEvent, NewEvent, Task, TaskState } from "@longshot/core";
import type { AttemptReport, TaskSpecInput } from "../ports.js";
import type { RunState, TaskView } from "../run-state.js";

/** What the critic scheduler needs of the engine. */
export interface CriticHost {
  readonly state: RunState;
  readonly runSignal: AbortSignal;
  append(event: NewEvent): LongshotEvent;
  addTask(spec: TaskSpecInput, kind: Task["kind"], options?: { parentId?: string }): Task;
  transition(taskId: string, to: TaskState, reason: string): void;
  /** Runs background work that may add tasks, so the run does not end under it. */
  withPlanner(work: () => Promise<void>): Promise<void>;
}

/**
 * Critics as the engine sees them: they watch landings and schedule read-only critic tasks
 * every N of them and once at finalization, and they settle each critic attempt (findings
 * become tasks or notes; an attempt that changed files is rejected, never landed).
 */
export interface CriticPort {
  /** Model of critic attempts (LLM_CRITIC_MODEL). */
  readonly model: string;
  /** Sees every recorded event, after it is applied. Never appends synchronously. */
  observe(event: LongshotEvent): void;
  /**
   * Called when everything is settled, before finalization. True while the final critic round
   * is being scheduled (the run must not finalize yet); false once there is nothing more to do.
   */
  beforeFinalize(): boolean;
  /** Settles a critic task after its attempt; the task ends landed (report taken), ready or cancelled. */
  settle(view: TaskView, attempt: number, report: AttemptReport): void;
}
