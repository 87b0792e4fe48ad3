// The app's composition root, for the benchmark: it starts runs exactly as `longshot` does.
export { type ComposedRun, type ComposeRunOptions, composeRun } from "./compose-run.js";
export { type ModelSetup, workspaceRootOf } from "./run-context.js";
