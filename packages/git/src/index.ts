export type { CommitWriter, NewCommit } from "./commit-writer.js";
export { GitCommandError, GitUsageError, GitVersionError, MissingRemoteError } from "./errors.js";
export { fetchBranch } from "./fetch-branch.js";
export { firstParentCommits } from "./first-parent-commits.js";
export { type CommitOptions, Git, type GitOptions, type PathsOption, type SignalOption } from "./git.js";
export { type GitObject, GitPlumbing, type GitPlumbingOptions } from "./git-plumbing.js";
export type {
  GitOperationOptions,
  GitRunner,
  GitRunRequest,
  GitRunResult,
  GitSession,
  GitSessionRequest,
  GitStream,
  GitStreamExit,
  RemoteAccessOptions,
} from "./git-runner.js";
export { capabilitiesOf, type GitCapabilities, type GitVersion, parseGitVersion } from "./git-version.js";
export { type InitRepositoryOptions, initRepository } from "./init-repository.js";
export { listTree } from "./list-tree.js";
export { listWorkingFiles } from "./list-working-files.js";
export { mergeInWorktree, type WorktreeMergeOutcome } from "./merge-in-worktree.js";
export { ProcessGitRunner, type ProcessGitRunnerOptions } from "./process-git-runner.js";
export { type PushRefOptions, pushRef } from "./push-ref.js";
export { type RecentCommitsOptions, recentCommits } from "./recent-commits.js";
export { type RemoteUrlOptions, remoteUrl } from "./remote-url.js";
export { gitDirOf, repositoryTop } from "./repository-paths.js";
export { type SyncCloneOptions, syncClone } from "./sync-clone.js";
export { editTree, type TreeEdit, type TreeEditOptions } from "./tree-edit.js";
export type {
  BranchInfo,
  CommitInfo,
  DiffStats,
  FileStat,
  Identity,
  LogEntry,
  MergeTreeOutcome,
  NameStatusEntry,
  PushOutcome,
  StatusEntry,
  TreeEntry,
  UpdateRefOutcome,
  WorkingTreeStatus,
  WorktreeInfo,
} from "./types.js";
