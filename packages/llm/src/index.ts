// The conversation types are the wire's chat shape, defined once in @longshot/wire.
export type {
  AssistantMessage,
  ChatMessage,
  ResponseFormat,
  SystemMessage,
  ToolCall,
  ToolChoice,
  ToolMessage,
  ToolSpec,
  UserMessage,
} from "@longshot/wire";
export { type BudgetCaps, type BudgetLimits, budgetLimitsFromConfig, checkBudget } from "./budget.js";
export { type CheckEndpointsOptions, checkEndpoints, type EndpointCheck } from "./check-endpoints.js";
export {
  type CircuitState,
  EndpointPool,
  type EndpointPoolOptions,
  type EndpointStatus,
  type Lease,
} from "./endpoint-pool.js";
export { generateObject, parseReply } from "./generate-object.js";
export type {
  InvalidOutput,
  LanguageModel,
  ObjectOptions,
  ObjectResult,
  ObjectValue,
} from "./language-model.js";
export {
  defaultLocalCandidates,
  describeCandidates,
  type LocalCandidate,
  type LocalEndpoint,
  type LocalProbeOptions,
  probeLocalEndpoint,
} from "./local-probe.js";
export {
  ModelClient,
  type ModelClientOptions,
  oneModelForEveryRole,
  type RoleModels,
} from "./model-client.js";
export { type ModelClientDeps, modelClientFromConfig } from "./model-client-from-config.js";
export type { CallOptions, ModelRequest } from "./model-request.js";
export type {
  BudgetRefusal,
  CallFailure,
  CompletedToolCall,
  Completion,
  CompletionResult,
  FinishReason,
  ModelDelta,
} from "./model-result.js";
export { defaultPrices, PriceTable } from "./price-table.js";
export { type ResolvedEndpoints, resolveEndpoints } from "./resolve-endpoints.js";
export { alternateWorkerModel, roleModelsFromConfig } from "./role-models.js";
export {
  type Reservation,
  type SpendEstimate,
  type UsageEntry,
  UsageLedger,
  type UsageTotals,
} from "./usage-ledger.js";
