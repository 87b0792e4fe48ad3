export { type ConnectGitHubOptions, connectGitHub, type GitHubConnection } from "./connect-github.js";
export {
  type FileGapIssueOptions,
  fileGapIssue,
  type GapFiling,
  type IssueProposal,
  type ProposeIssue,
} from "./file-gap-issue.js";
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
