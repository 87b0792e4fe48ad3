export { interruptedReason, withInterruptedRuns } from "./interrupted-runs.js";
export {
  acquireRunLock,
  activeRunLock,
  type RunLock,
  type RunLockHolder,
  type RunLockOptions,
} from "./run-lock.js";
export { SqliteStore, type StoreOptions } from "./sqlite-store.js";
export type {
  AttemptRecord,
  CostRow,
  EventQuery,
  FixRecord,
  FollowOptions,
  HealthSweep,
  MergeRecord,
  RunSummary,
  Store,
  TaskDetail,
  TaskFilter,
  ToolCallRecord,
} from "./store.js";
