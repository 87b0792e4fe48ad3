import type { Clock, Logger, LongshotEvent, NewEvent, TaskState } from "@longshot/core";
import type { SandboxProvider } from "@longshot/sandbox";
import type { AttemptCheck } from "./attempt-checks.js";
import type { ConflictLanes } from "./conflict-lanes.js";
import type { CriticPort } from "./critics/critic-port.js";
import type { HandoffGuard } from "./handoff-guard.js";
import type { Judge } from "./judge.js";
import type { ConflictResolver, Lander, WorkerHarness } from "./ports.js";
import type { RunState } from "./run-state.js";
import type { EngineSettings } from "./run-types.js";
import type { SandboxRoute } from "./sandbox-routes.js";

/** The parts a worker uses to run, review and land one task's attempts. */
export interface WorkerDeps {
  readonly repoPath: string;
  readonly harness: WorkerHarness;
  readonly sandboxes: SandboxProvider;
  readonly lander: Lander;
  /** Resolves conflicts at hunk size before a task runs again; null or absent: every conflict re-runs. */
  readonly resolver?: ConflictResolver | null;
  readonly judge: Judge | null;
  /** Unified diff of `base..commit` for the judge. */
  readonly diff: (base: string, commit: string, signal: AbortSignal) => Promise<string>;
  /** The project's checks, run in each attempt's sandbox for the judge; default none. */
  readonly attemptChecks?: readonly AttemptCheck[];
  /** Size limits and scope of hand-offs, checked before the judge and the merge queue. */
  readonly handoff?: HandoffGuard;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: EngineSettings;
  /** Sandboxes for tasks with requirements (SANDBOX_ROUTES); `sandboxes` takes every other task. */
  readonly routes?: readonly SandboxRoute[];
}

/**
 * What a worker may do to the run: read its state, append to its log, move its tasks, and tell
 * the planner. The engine implements it; a worker sees nothing else of the engine.
 */
export interface WorkerHost {
  readonly runId: string;
  readonly state: RunState;
  /** Aborted when the whole run aborts. */
  readonly runSignal: AbortSignal;
  readonly critics: CriticPort | null;
  /** Resolutions of conflicts in the same file take turns. */
  readonly conflictLanes: ConflictLanes;
  append(event: NewEvent): LongshotEvent;
  /** Moves a task (through the planner's graph); throws on a transition the graph refuses. */
  transition(taskId: string, to: TaskState, reason: string): void;
  /** Drains the run because a budget ran out; the run ends red naming it. */
  stopForBudget(reason: string): void;
  /** Runs planner work the run waits for before it settles. */
  withPlanner(work: () => Promise<void>): Promise<void>;
}
