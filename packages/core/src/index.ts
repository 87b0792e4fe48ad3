export { ChildProcessLauncher } from "./child-process-launcher.js";
export { type Clock, ManualClock, SystemClock, systemClock } from "./clock.js";
export {
  type ConfigOrigin,
  type ConfigSource,
  type ConfigSources,
  type LoadedConfig,
  loadConfig,
  maskSecret,
  parseDotenv,
  readDotenv,
} from "./config.js";
export {
  type Config,
  type EndpointConfig,
  EndpointSchema,
  type McpServerConfig,
  McpServerSchema,
  type Price,
  PriceSchema,
  type VariableName,
  type VariableSpec,
  variableNames,
  variableSpecs,
} from "./config-spec.js";
export { processLauncher, setProcessLauncher } from "./default-process-launcher.js";
export {
  type Attempt,
  type AttemptOutcome,
  AttemptOutcomeSchema,
  AttemptSchema,
  type CheckName,
  CheckNameSchema,
  type Handoff,
  HandoffSchema,
  type HandoffStatus,
  HandoffStatusSchema,
  type HealthCheck,
  HealthCheckSchema,
  type Merge,
  type MergeOutcome,
  MergeOutcomeSchema,
  MergeSchema,
  type Role,
  RoleSchema,
  type RunStatus,
  RunStatusSchema,
  type Task,
  type TaskKind,
  TaskKindSchema,
  TaskSchema,
  type TaskSize,
  TaskSizeSchema,
  type TaskSpec,
  TaskSpecSchema,
  type TestCounts,
  TestCountsSchema,
  type Usage,
  UsageSchema,
  zeroUsage,
} from "./domain.js";
export { EmitRelay } from "./emit-relay.js";
export { renderConfigTable, renderEnvExample } from "./env-example.js";
export {
  AbortError,
  assertNever,
  EnvironmentError,
  type ErrorFields,
  exitCodeOf,
  InternalError,
  LongshotError,
  messageOf,
  throwIfAborted,
  UserError,
  UserErrors,
} from "./errors.js";
export {
  type EmitEvent,
  type EventBody,
  type EventOf,
  type EventType,
  eventBodySchema,
  eventSchemaVersion,
  eventTypes,
  type LongshotEvent,
  LongshotEventSchema,
  type NewEvent,
  parseEvent,
} from "./events.js";
export { eventDescriptions, renderEventsDoc } from "./events-doc.js";
export { type IdSource, integrationBranch, RandomIdSource, taskBranch, taskIdFor } from "./ids.js";
export {
  HarnessKindSchema,
  MergeGateSchema,
  MergeStrategySchema,
  SandboxKindSchema,
  SandboxProviderSchema,
} from "./kind-schemas.js";
export {
  choices,
  type HarnessKind,
  harnessKinds,
  type MergeGateKind,
  type MergeStrategy,
  mergeGates,
  mergeStrategies,
  oneOf,
  reachesGatewayByUrl,
  type SandboxKind,
  type SandboxProviderName,
  sandboxKindNames,
  sandboxKinds,
  sandboxKindsOf,
  sandboxProviderNames,
} from "./kinds.js";
export {
  createLogger,
  type Logger,
  type LoggerOptions,
  redactKeys,
  redactValues,
  silentLogger,
} from "./logger.js";
export {
  backgroundNice,
  type ExitStatus,
  type LaunchEnd,
  type LaunchedProcess,
  type LaunchListeners,
  type LaunchRequest,
  type ProcessLauncher,
} from "./process-launcher.js";
export {
  hostSettingNames,
  type ResumedConfig,
  type RunSettingName,
  resumeConfig,
  runSettingNames,
  runSettingsOf,
  type SettingOverride,
} from "./run-settings.js";
export { SpawnerProcessLauncher, type SpawnerProcessLauncherOptions } from "./spawner-process-launcher.js";
export {
  checkTransition,
  isTerminal,
  needsPlanner,
  nextStates,
  type TaskState,
  TaskStateSchema,
  type TransitionCheck,
  taskStates,
} from "./task-state.js";
