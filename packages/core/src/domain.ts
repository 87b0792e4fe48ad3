import { z } from "zod";
import { TaskStateSchema } from "./task-state.js";

/** `critic`: a read-only review of the integration branch whose findings become planned tasks. */
export const TaskKindSchema = z.enum(["plan", "fix", "conflict", "manual", "critic"]);
export type TaskKind = z.infer<typeof TaskKindSchema>;

export const TaskSizeSchema = z.enum(["xs", "s", "m", "l", "xl"]);
export type TaskSize = z.infer<typeof TaskSizeSchema>;

/** What the planner (or a fix, or a user) asks for; ids and branches are added by code. */
export const TaskSpecSchema = z.object({
  title: z.string().min(1).max(200),
  description: z.string().min(1),
  acceptance: z.array(z.string().min(1)).default([]),
  scope: z.array(z.string().min(1)).default([]),
  dependsOn: z.array(z.string()).default([]),
  priority: z.number().int().min(0).max(100).default(50),
  size: TaskSizeSchema.default("s"),
  composite: z.boolean().default(false),
  context: z.string().default(""),
  /**
   * What the task's sandbox must provide, such as `network` for installs or `large` for a
   * bigger machine; SANDBOX_ROUTES says which sandbox provides what. Absent or empty: the
   * run's own sandbox. Kept in the event log (task-add, task-update), not in the task table.
   */
  requires: z.array(z.string().trim().min(1)).optional(),
});
export type TaskSpec = z.infer<typeof TaskSpecSchema>;

export const TaskSchema = TaskSpecSchema.extend({
  id: z.string(),
  runId: z.string(),
  kind: TaskKindSchema,
  branch: z.string(),
  parentId: z.string().nullable(),
  state: TaskStateSchema,
  attempts: z.number().int().min(0),
  /** For fix tasks: the failure fingerprint it addresses. */
  fingerprint: z.string().nullable(),
  createdAt: z.number(),
});
export type Task = z.infer<typeof TaskSchema>;

export const HandoffStatusSchema = z.enum(["complete", "partial", "blocked", "failed"]);
export type HandoffStatus = z.infer<typeof HandoffStatusSchema>;

/** What an agent reports when it finishes an attempt. */
export const HandoffSchema = z.object({
  status: HandoffStatusSchema,
  summary: z.string(),
  filesChanged: z.array(z.string()).default([]),
  concerns: z.array(z.string()).default([]),
  suggestions: z.array(z.string()).default([]),
});
export type Handoff = z.infer<typeof HandoffSchema>;

export const AttemptOutcomeSchema = z.enum([
  "complete",
  "partial",
  "blocked",
  "failed",
  "timeout",
  "stuck",
  "cancelled",
  "rejected",
  "conflict",
  "budget",
]);
export type AttemptOutcome = z.infer<typeof AttemptOutcomeSchema>;

export const AttemptSchema = z.object({
  runId: z.string(),
  taskId: z.string(),
  number: z.number().int().min(1),
  model: z.string(),
  harness: z.string(),
  sandbox: z.string(),
  baseCommit: z.string(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  outcome: AttemptOutcomeSchema.nullable(),
  commit: z.string().nullable(),
  handoff: HandoffSchema.nullable(),
  feedback: z.string().nullable(),
});
export type Attempt = z.infer<typeof AttemptSchema>;

/** `no-op`: the task's work was already on the branch, so its landing changed nothing. */
export const MergeOutcomeSchema = z.enum([
  "landed",
  "no-op",
  "conflict",
  "gate-failed",
  "push-failed",
  "skipped",
]);
export type MergeOutcome = z.infer<typeof MergeOutcomeSchema>;

export const MergeSchema = z.object({
  runId: z.string(),
  taskId: z.string(),
  attempt: z.number().int(),
  outcome: MergeOutcomeSchema,
  sha: z.string().nullable(),
  files: z.array(z.string()),
  at: z.number(),
});
export type Merge = z.infer<typeof MergeSchema>;

export const CheckNameSchema = z.enum(["install", "build", "typecheck", "lint", "test", "acceptance"]);
export type CheckName = z.infer<typeof CheckNameSchema>;

export const TestCountsSchema = z.object({
  passed: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
});
export type TestCounts = z.infer<typeof TestCountsSchema>;

export const HealthCheckSchema = z.object({
  name: CheckNameSchema,
  command: z.string(),
  ok: z.boolean(),
  durationMs: z.number(),
  counts: TestCountsSchema.nullable(),
  excerpt: z.string(),
});
export type HealthCheck = z.infer<typeof HealthCheckSchema>;

export const RunStatusSchema = z.enum(["running", "paused", "draining", "green", "red", "stopped", "failed"]);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/**
 * Who makes a model call. `compactor` is the built-in agent summarizing its own older turns: it
 * belongs to a task (and counts against its budget) but is not one of its turns. `critic` is a
 * read-only critic task reviewing the integration branch.
 */
export const RoleSchema = z.enum([
  "planner",
  "subplanner",
  "worker",
  "judge",
  "fixer",
  "compactor",
  "critic",
]);
export type Role = z.infer<typeof RoleSchema>;

export const UsageSchema = z.object({
  promptTokens: z.number().int().min(0),
  completionTokens: z.number().int().min(0),
  cachedTokens: z.number().int().min(0),
});
export type Usage = z.infer<typeof UsageSchema>;

export const zeroUsage: Usage = { promptTokens: 0, completionTokens: 0, cachedTokens: 0 };
