export {
  type CriticFinding,
  CriticFindingSchema,
  type FindingPlan,
  type FindingPlanOptions,
  type ParsedFindings,
  parseCriticFindings,
  planFromFindings,
} from "./critics/critic-findings.js";
export {
  type CriticEvidence,
  type CriticKind,
  criticContext,
  criticKinds,
  criticMarker,
  criticTaskSpec,
  parseCriticContext,
} from "./critics/critic-task.js";
export {
  type DuplicateGroup,
  type DuplicateLocation,
  type DuplicateOptions,
  findDuplicates,
} from "./critics/duplicate-finder.js";
export { type GapAnalysisOptions, type GapAnalysisResult, gapAnalysis } from "./gap-analysis.js";
export { GitRepoReader } from "./git-repo-reader.js";
export type { AskFailureKind } from "./internal/ask-model.js";
export type { PlanProgress } from "./internal/batch-step.js";
export type { ReplanOutcome } from "./internal/replan-step.js";
export type { SplitOutcome } from "./internal/split-task.js";
export { JsonFilePlannerStateStore } from "./json-file-planner-state-store.js";
export {
  type GapAnalysisReply,
  GapAnalysisReplySchema,
  type PlanBatchReply,
  PlanBatchReplySchema,
  type PlannedAmendment,
  PlannedAmendmentSchema,
  type PlannedTask,
  PlannedTaskSchema,
  type ReplanReply,
  ReplanReplySchema,
  type SplitReply,
  SplitReplySchema,
} from "./plan-schema.js";
export { Planner, type PlannerOptions } from "./planner.js";
export {
  defaultPlannerLimits,
  type PlannerLimits,
  type PlannerLimitsInput,
  resolvePlannerLimits,
} from "./planner-limits.js";
export {
  type DeltaItem,
  DeltaItemSchema,
  type PlannerState,
  PlannerStateSchema,
  type PlannerStateStore,
} from "./planner-state.js";
export {
  type ContextFile,
  type ContextLimits,
  defaultContextLimits,
  gatherPlanningContext,
  type PlanningContext,
  referencedPaths,
  renderPlanningContext,
} from "./planning-context.js";
export {
  defaultPromptDirectory,
  loadPrompts,
  PromptLibrary,
  type PromptName,
  type PromptTemplate,
  type PromptValues,
  parsePrompt,
  promptNames,
  readPrompt,
  renderPrompt,
} from "./prompt-library.js";
export type { CommitSummary, FileListing, RepoReader } from "./repo-reader.js";
export { type ScopeOverlap, scopeEntriesOverlap, scopesOverlap } from "./scopes-overlap.js";
export {
  type GraphChange,
  type KeyedTaskSpec,
  type TaskAmendment,
  TaskGraph,
  type TaskGraphOptions,
  type TaskGraphSnapshot,
  TaskGraphSnapshotSchema,
  type TaskOrigin,
  type TaskSpecInput,
  type TransitionResult,
} from "./task-graph.js";
export {
  type Proposal,
  type ResolvedProposal,
  type ValidationOptions,
  type ValidationResult,
  validatePlan,
} from "./validate-plan.js";
