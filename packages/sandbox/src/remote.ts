/**
 * The parts shared by providers over a remote sandbox service (E2B, Modal): the sandbox itself
 * (repository in and out as a git bundle, process-group kills, reconnects), creation and orphan
 * cleanup, and the service boundary they implement. Import it from `@longshot/sandbox/remote`.
 */
export { type RemoteCommand, type RemoteOutcome, runRemote } from "./remote/remote-exec.js";
export { RemoteGitRunner, type RemoteRunner } from "./remote/remote-git-runner.js";
export {
  cleanRemoteOrphans,
  createRemoteSandbox,
  type RemoteMachine,
  type RemoteProviderKit,
  type RemoteProviderOptions,
  type RemoteServiceParts,
  remoteLabelKeys,
  remoteProviderKit,
} from "./remote/remote-provider-kit.js";
export { type RemotePaths, RemoteSandbox, type RemoteSandboxParts } from "./remote/remote-sandbox.js";
export type {
  LabelledRemoteService,
  RemoteCallOptions,
  RemoteRunOptions,
  RemoteRunResult,
  RemoteService,
  RemoteSession,
} from "./remote/remote-service.js";
export { SessionKeeper } from "./remote/session-keeper.js";
export { shellCommand, shellQuote } from "./remote/shell-quote.js";
export { isTransient } from "./remote/transient.js";
