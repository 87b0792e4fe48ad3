export { type ConnectGitHubOptions, connectGitHub, type GitHubConnection } from "./connect-github.js";
export {
  type FileGapIssueOptions,
  fileGapIssue,
  type GapFiling,
  type IssueProposal,
  type ProposeIssue,
} from "./file-gap-issue.js";
export { commitFile, fetchBranch, type RemoteOptions } from "./git-remote-ops.js";
export {
  type CallOptions,
  GitHubClient,
  type GitHubClientOptions,
  type IssueComment,
  type IssueSummary,
  type NewIssue,
  type PullRequestRequest,
  type PullRequestResult,
  type RepositoryInfo,
  type RestResponse,
} from "./github-client.js";
export { GitHubError } from "./github-error.js";
export { type GapAnalysisProposal, type GapTask, issueFromGapAnalysis } from "./issue-from-gap-analysis.js";
export {
  type HandledIssue,
  type IssueModeOptions,
  type IssueModeResult,
  type IssuePullRequestOptions,
  type IssueRunContext,
  type IssueRunResult,
  requestFor,
  runIssueMode,
  type StartIssueRun,
} from "./issue-mode.js";
export { linkPullRequestToIssue } from "./link-pull-request-to-issue.js";
export { apiUrlFor, type GitHubRepository, parseGitHubRemote } from "./parse-github-remote.js";
export {
  type PublishOutcome,
  type PublishPullRequestOptions,
  publishPullRequest,
} from "./publish-pull-request.js";
export { type PushBranchOptions, pushBranch } from "./push-branch.js";
export { findRunMarker, runMarker } from "./run-marker.js";
export { type MergeVerdict, mergeVerdict } from "./watch/auto-merge.js";
export { type BudgetDecision, nextRunBudget } from "./watch/budget.js";
export { capabilityEntry, capabilityMarker, withCapability } from "./watch/capabilities.js";
export {
  type FeedbackItem,
  followUpRequest,
  pendingFeedback,
  replyMarker,
  replyText,
} from "./watch/feedback.js";
export {
  type FileGapIssuesOptions,
  fileGapIssues,
  gapIssueBody,
  gapMarker,
  goalExcerpt,
  rankGapTasks,
} from "./watch/gap-issues.js";
export { RepoGit, type RepoGitOptions } from "./watch/repo-git.js";
export { type CycleReport, RepoWatcher } from "./watch/repo-watcher.js";
export type {
  ProposeGap,
  RunDriver,
  WatchRunInput,
  WatchRunOutcome,
  WatchRunProgress,
  WatchSettings,
} from "./watch/run-driver.js";
export { type LiveProgress, renderStatus, statusMarker } from "./watch/status-comment.js";
export {
  type CheckResult,
  type PullState,
  type ReviewItem,
  WatchApi,
  type WatchComment,
  type WatchIssue,
} from "./watch/watch-api.js";
export type { WatchContext } from "./watch/watch-context.js";
export {
  type IssueRecord,
  IssueRecordSchema,
  SqliteWatchJournal,
  type WatchJournal,
  type WatchRun,
  WatchRunSchema,
} from "./watch/watch-journal.js";
export { WatchLoop, type WatchLoopOptions, type WatchSummary } from "./watch/watch-loop.js";
export {
  startWebhookReceiver,
  verify as verifyWebhookSignature,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from "./watch/webhook-receiver.js";
