// The app's composition root, for the benchmark: it starts runs exactly as `longshot` does.
export { type ComposedRun, type ComposeRunOptions, composeRun } from "./compose-run.js";
// The Node flags `longshot` starts a run with, so that the benchmark runs its orchestrator alike.
export { orchestratorNodeFlags } from "./node-flags.js";
export { type ModelSetup, workspaceRootOf } from "./run-context.js";
