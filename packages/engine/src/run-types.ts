import type { RunStatus, TaskState } from "@longshot/core";
import type { SandboxLimits } from "@longshot/sandbox";
import type { RunState } from "./run-state.js";

/** The settings a run's engine works by (from the configuration). */
export interface EngineSettings {
  readonly maxWorkers: number;
  /** Attempts per task, not counting re-runs after merge conflicts. */
  readonly maxAttempts: number;
  /** Re-runs after merge conflicts per task. */
  readonly maxConflictRetries: number;
  readonly workerTimeoutMs: number;
  readonly workerModel: string;
  readonly altWorkerModel: string;
  /** Model for fix tasks spawned by the reconciler. */
  readonly fixerModel: string;
  readonly sandboxLimits: SandboxLimits;
  readonly branchPrefix: string;
  /** Stop planning and drain after this long; null for no limit. */
  readonly maxWallTimeMs: number | null;
  readonly finalization: boolean;
  readonly finalizationMaxAttempts: number;
}

export interface RunStart {
  readonly request: string;
  readonly repo: string;
  readonly baseCommit: string;
  readonly startCommit?: string | null;
  readonly targetBranch: string;
  readonly integrationBranch: string;
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** How a run ended; the CLI turns it into an exit code. */
export interface RunResult {
  readonly runId: string;
  readonly status: RunStatus;
  readonly reason: string;
  /**
   * For a green run, the commit the final checks passed on (the only commit the target branch
   * may be moved to); otherwise the integration branch's head as the engine last saw it.
   */
  readonly head: string;
  /** True when the run was interrupted (Ctrl+C) rather than finished. */
  readonly interrupted: boolean;
}

/** Read-only view of a run for dashboards and MCP. */
export interface RunSnapshot {
  readonly state: RunState;
  readonly counts: Record<TaskState, number>;
  readonly maxWorkers: number;
}
