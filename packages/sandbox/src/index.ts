export { bundleToward, cloneBundleScript, shallowRoots } from "./bundle-transfer.js";
export { commandArgv } from "./command-argv.js";
export { type CommandRefusal, checkCommand, guardCommand } from "./command-guard.js";
export { GatedShellSandbox, type PreparedCommand } from "./gated-shell-sandbox.js";
export { type BubblewrapProbe, probeBubblewrap } from "./internal/bubblewrap.js";
export { type CgroupProbe, probeCgroups } from "./internal/cgroup-limits.js";
export { GuardedGitRunner } from "./internal/guarded-git.js";
export { defaultInternalTimeoutMs, throwIfStopped } from "./internal-command.js";
export { defaultSandboxLimits, sandboxLimitsFromConfig } from "./limits.js";
export { bubblewrapBinary, type LocalBackendProbes, localSandboxBackend } from "./local-backend.js";
export { OutputCollector } from "./output-collector.js";
export {
  nodePathResolverFs,
  type PathResolverFs,
  type ResolveWorkspacePathOptions,
  resolveWorkspacePath,
  workspaceRelativePath,
} from "./path-guard.js";
export { RepositorySandboxProvider } from "./repository-sandbox-provider.js";
export {
  defaultMaxSearchResults,
  matchesSearchGlob,
  matchText,
  maxMatchTextLength,
  parseRipgrepLine,
  ripgrepArgs,
} from "./ripgrep.js";
export {
  type CommitAuthor,
  type CommitOptions,
  defaultDiskMb,
  defaultExecTimeoutMs,
  defaultMaxOutputBytes,
  type ExecOptions,
  type ExecResult,
  type FileEntry,
  type FileList,
  type ListFilesOptions,
  type MoveOptions,
  type ReadFileOptions,
  type Sandbox,
  type SandboxCreateOptions,
  type SandboxIsolation,
  type SandboxLimits,
  type SandboxProvider,
  type SandboxWarmOptions,
  type SearchMatch,
  type SearchOptions,
  type SearchResult,
  type SocketMount,
} from "./sandbox.js";
export {
  diskLimits,
  type IsolationVerdict,
  missingCredentials,
  type SandboxBackend,
  type SandboxCheckContext,
  type SandboxService,
  type SandboxSetup,
} from "./sandbox-backend.js";
export { defaultSandboxPath, sandboxEnv } from "./sandbox-env.js";
export { destroyedError, GuardError, SandboxError, type SandboxErrorReason } from "./sandbox-error.js";
export { SandboxGate, type SandboxGateOptions, type SandboxGoneReason } from "./sandbox-gate.js";
export { type SandboxExpiry, SandboxLifetime } from "./sandbox-lifetime.js";
export { SandboxRepository, type SandboxRepositoryOptions } from "./sandbox-repository.js";
export {
  type ResolvedWorkspacePath,
  ShellWorkspace,
  type ShellWorkspaceOptions,
  type WorkspaceCommand,
  type WorkspaceCommandResult,
  type WorkspaceExec,
  type WorkspaceFiles,
  type WorkspacePathKind,
} from "./shell-workspace.js";
export { sliceLines } from "./slice-lines.js";
export { startTaskBranch } from "./task-branch.js";
export { sandboxProcessMarker, type WorktreeSandbox } from "./worktree-sandbox.js";
export {
  WorktreeSandboxProvider,
  type WorktreeSandboxProviderOptions,
  type WorktreeSlotInfo,
} from "./worktree-sandbox-provider.js";
