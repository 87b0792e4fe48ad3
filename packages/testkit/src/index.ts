export { byRole } from "./by-role.js";
export {
  type FakeLlmOptions,
  type FakeLlmServer,
  startFakeLlm,
} from "./fake-llm-server.js";
export {
  type FakePolicy,
  type PolicyFunction,
  type PolicyObject,
  UnexpectedCallError,
} from "./fake-policy.js";
export type {
  CutFault,
  DelayFault,
  FakeContentReply,
  FakeFault,
  FakeReply,
  FakeTextReply,
  FakeToolCall,
  FakeToolCallsReply,
  FakeUsage,
  HangFault,
  MalformedJsonFault,
  RateLimitFault,
  ServerErrorFault,
} from "./fake-reply.js";
export {
  createFakeRequest,
  type FakeMessage,
  type FakeMessageToolCall,
  type FakeProtocol,
  type FakeRequest,
  type FakeRequestInit,
  type FakeTool,
} from "./fake-request.js";
export { fakeTask } from "./fake-task.js";
export { loadPolicyFile } from "./load-policy-file.js";
export { type LoopbackCanary, startLoopbackCanary } from "./loopback-canary.js";
export { type PinnedClis, pinnedClis } from "./pinned-clis.js";
export {
  type BranchSpec,
  createBranches,
  createTempRepo,
  type FileChanges,
  type GitOutput,
  runGit,
  runGitSync,
  type TempRepo,
  type TempRepoOptions,
  testIdentity,
  tryGit,
  writeAndCommit,
  writeFiles,
} from "./repo/index.js";
export { resolutionAnswer } from "./scenario/resolution-answer.js";
export { brokenSource, type SampleModule, sampleModules } from "./scenario/sample-library.js";
export { createSampleRepo, indexHeader, sampleSpec } from "./scenario/sample-repo.js";
export { type SampleSwarm, type SampleSwarmOptions, startSampleSwarm } from "./scenario/sample-swarm.js";
export { type SwarmScenario, type SwarmStats, swarmPolicy } from "./scenario/swarm-policy.js";
export { type ScriptEntry, ScriptedPolicy, type ScriptStep } from "./scripted-policy.js";
export { seededRandom } from "./seeded-random.js";
export { TmuxTerminal, type TmuxTerminalOptions } from "./tmux-terminal.js";
