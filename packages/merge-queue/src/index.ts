export {
  type ConflictHunk,
  type HunkAnswer,
  type HunkedFile,
  isConflictMarker,
  parseConflictedFile,
  type SplicedFiles,
  spliceAnswers,
} from "./conflict-hunks.js";
export { type ConflictedFile, type ConflictReport, describeConflict } from "./describe-conflict.js";
export {
  type FastForwardTargetOptions,
  type FastForwardTargetOutcome,
  fastForwardTarget,
} from "./fast-forward-target.js";
export {
  type CommittedResolution,
  type ConflictSnapshot,
  commitResolution,
  type DescribeHunksOptions,
  describeHunks,
  type HunkConflict,
  hunkCount,
  type ResolutionCommit,
  type SettledFile,
} from "./hunk-resolution.js";
export type { IntegrationTarget, TargetSwapOutcome } from "./integration-target.js";
export { isLockfile } from "./internal/resolve-additions.js";
export { LocalBranchTarget } from "./local-branch-target.js";
export { type MergeGateOptions, MergeQueue, type MergeQueueOptions } from "./merge-queue.js";
export { RemoteBranchTarget, type RemoteBranchTargetOptions } from "./remote-branch-target.js";
export type {
  AutoResolution,
  GateCandidate,
  LockfileRegeneration,
  LockfileRequest,
  MergeGate,
  MergeRequest,
  MergeResult,
  MergeStrategy,
  PendingRequest,
  RegenerateLockfiles,
  ResolutionRule,
} from "./types.js";
