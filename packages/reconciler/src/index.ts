export { bisect, type FindCulpritOptions, findCulprit, type Landing } from "./bisect.js";
export {
  type CheckCommand,
  type CheckOverrides,
  type CheckPlan,
  detectCheckPlan,
  probedFiles,
} from "./check-plan.js";
export {
  type CheckOutcome,
  type CheckRunOptions,
  defaultCheckTimeoutMs,
  runCheckCommand,
  runCheckPlan,
} from "./check-runner.js";
export {
  type CheckRun,
  CheckWorkspace,
  type CheckWorkspaceOptions,
  type OpenCheckSandbox,
} from "./check-workspace.js";
export { extractFailures } from "./extract-failures.js";
export type { Failure } from "./failure.js";
export { type ExcerptOptions, failureExcerpt } from "./failure-excerpt.js";
export { type FixTaskRequest, fixTaskSpec, type TaskSink } from "./fix-task.js";
export { type HiddenCommitOptions, restoreHiddenTests, withoutHiddenTests } from "./hidden-commits.js";
export {
  acceptanceCommand,
  concealHidden,
  type HiddenTests,
  mentionsHidden,
  redactHidden,
} from "./hidden-tests.js";
export { holdOutHiddenTests } from "./hold-out.js";
export { fingerprintOf, normalizeMessage, normalizeTestName } from "./normalize.js";
export {
  type Action,
  type Culprit,
  type Desired,
  type FixTaskRecord,
  type Observed,
  reconcile,
  type Sweep,
} from "./reconcile.js";
export { Reconciler } from "./reconciler.js";
export type {
  FinalizationResult,
  ReconcilerOptions,
  ReconcilerState,
  RunProgress,
} from "./reconciler-options.js";
export { redSummary } from "./red-summary.js";
export { type RevertOptions, type RevertOutcome, revertLanding } from "./revert-landing.js";
export {
  inspectDiff,
  inspectTestCounts,
  type TamperFinding,
  type TamperKind,
  type TamperOptions,
  tamperVerdict,
} from "./tamper-guard.js";
export { parseTestCounts } from "./test-counts.js";
export { isInside, isTestFile, normalizePath } from "./test-files.js";
