export { checkAction } from "./check-action.js";
export { checkWorkflow } from "./check-workflow.js";
export {
  type FakeComment,
  type FakeGitHub,
  type FakeGitHubOptions,
  type FakeIssue,
  type FakePullRequest,
  type RecordedRequest,
  startFakeGitHub,
} from "./fake-github.js";
