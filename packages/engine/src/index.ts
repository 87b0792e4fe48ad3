export { HarnessWorker } from "./adapters/harness-worker.js";
export { HunkConflictResolver, type HunkConflictResolverOptions } from "./adapters/hunk-conflict-resolver.js";
export { QueueLander, type QueueLanderOptions } from "./adapters/queue-lander.js";
export {
  type HealthHost,
  ReconcilerHealth,
  type ReconcilerHealthOptions,
} from "./adapters/reconciler-health.js";
export { RootPlanner, type RootPlannerOptions } from "./adapters/root-planner.js";
export {
  type SandboxLockfileRegeneratorOptions,
  sandboxLockfileRegenerator,
} from "./adapters/sandbox-lockfile-regenerator.js";
export { StoreRunLog } from "./adapters/store-run-log.js";
export { type EngineCommand, EngineCommandSchema } from "./commands.js";
export { enginePromptDirectory, loadConflictPrompt } from "./conflict-prompt.js";
export {
  type EngineDeps,
  type EngineSettings,
  RunEngine,
  RunRecordError,
  type RunResult,
  type RunSnapshot,
  type RunStart,
} from "./engine.js";
export { engineSettings } from "./engine-settings.js";
export { cleanHandoff, type HandoffFindings } from "./handoff-findings.js";
export { type HandoffGuard, type HandoffLimits, handoffGuard } from "./handoff-guard.js";
export { type Judge, ModelJudge, type ReviewInput, type Verdict, VerdictSchema } from "./judge.js";
export { type OpenedRun, type OpenRunOptions, openRun } from "./open-run.js";
export type {
  AttemptReport,
  AttemptRequest,
  ConflictResolution,
  ConflictResolver,
  ConflictToResolve,
  FinalizeResult,
  HealthPort,
  Lander,
  LandingOutcome,
  LandingRequest,
  PlannerPort,
  PlannerUpdate,
  RunLog,
  TaskIntent,
  TaskSink,
  TaskSpecInput,
  WorkerHarness,
} from "./ports.js";
export { recordedRunSettings } from "./run-settings.js";
export {
  type HiddenTests,
  longshotIdentity,
  type RunSetup,
  type RunSetupOptions,
  setUpRun,
} from "./run-setup.js";
export {
  type AttemptView,
  activeTime,
  applyEvent,
  countByState,
  emptyRunState,
  type RunState,
  replay,
  type TaskView,
} from "./run-state.js";
export {
  budgetStopPrefix,
  describeShortfalls,
  type EndOfRun,
  endOfRun,
  type RequiredWork,
  requiredWork,
  type Shortfall,
  type ShortfallKind,
  userCancelReason,
} from "./run-verdict.js";
export { type RoutedSandbox, routeTask, type SandboxRoute } from "./sandbox-routes.js";
export { type Decision, decide, isSettled, type SchedulerLimits } from "./scheduler.js";
export { GitTaskBranches, type TaskBranches } from "./task-branches.js";
export { chooseModel } from "./worker.js";
