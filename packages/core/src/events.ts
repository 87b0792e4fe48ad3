import { z } from "zod";
import {
  AttemptOutcomeSchema,
  HandoffSchema,
  HealthCheckSchema,
  RoleSchema,
  RunStatusSchema,
  TaskSchema,
  UsageSchema,
} from "./domain.js";
import { TaskStateSchema } from "./task-state.js";

/** What both ends of a model call say about it. */
const modelCallFields = {
  callId: z.string(),
  role: RoleSchema,
  taskId: z.string().nullable(),
  /** The task attempt the call belongs to, when it belongs to one. */
  attempt: z.number().int().optional(),
  model: z.string(),
  endpoint: z.string(),
};

/**
 * Every event longshot records. Names are noun-then-verb kebab-case. An event is appended to the
 * log before the action it announces, so a crashed run can be resumed by replaying the log.
 */
const eventBodies = {
  "run-start": z.object({
    request: z.string(),
    repo: z.string(),
    /** The target branch's head the run builds on. */
    baseCommit: z.string(),
    /** The integration branch's first commit, when it differs (acceptance tests held out). */
    startCommit: z.string().nullable().default(null),
    targetBranch: z.string(),
    integrationBranch: z.string(),
    settings: z.record(z.string(), z.unknown()).default({}),
  }),
  "run-resume": z.object({
    reason: z.string(),
    /** The settings the resumed process runs with (the run's own, overridden by flags). */
    settings: z.record(z.string(), z.string()).default({}),
  }),
  "run-pause": z.object({ reason: z.string().default("paused by user") }),
  "run-unpause": z.object({ reason: z.string().default("resumed by user") }),
  "run-drain": z.object({ reason: z.string() }),
  "run-end": z.object({ status: RunStatusSchema, reason: z.string(), head: z.string().nullable() }),
  "plan-start": z.object({ batch: z.number().int() }),
  "plan-batch": z.object({ batch: z.number().int(), taskIds: z.array(z.string()), final: z.boolean() }),
  "plan-reject": z.object({ problems: z.array(z.string()) }),
  "plan-complete": z.object({ reason: z.string() }),
  "task-add": z.object({ task: TaskSchema }),
  "task-update": z.object({
    taskId: z.string(),
    // Spelled out without defaults: a partial with defaults would fill in (and erase) every
    // field the change does not name.
    changes: z
      .object({
        title: z.string(),
        description: z.string(),
        acceptance: z.array(z.string()),
        scope: z.array(z.string()),
        dependsOn: z.array(z.string()),
        priority: z.number().int(),
        context: z.string(),
        requires: z.array(z.string()),
      })
      .partial(),
  }),
  "task-transition": z.object({
    taskId: z.string(),
    from: TaskStateSchema,
    to: TaskStateSchema,
    reason: z.string(),
  }),
  "attempt-start": z.object({
    taskId: z.string(),
    attempt: z.number().int(),
    model: z.string(),
    harness: z.string(),
    sandbox: z.string(),
    baseCommit: z.string(),
  }),
  "attempt-end": z.object({
    taskId: z.string(),
    attempt: z.number().int(),
    outcome: AttemptOutcomeSchema,
    commit: z.string().nullable(),
    handoff: HandoffSchema.nullable(),
    reason: z.string(),
  }),
  "judge-verdict": z.object({
    taskId: z.string(),
    attempt: z.number().int(),
    accepted: z.boolean(),
    feedback: z.string(),
  }),
  "model-call-start": z.object(modelCallFields),
  "model-call-end": z.object({
    ...modelCallFields,
    ok: z.boolean(),
    error: z.string().nullable(),
    usage: UsageSchema,
    costUsd: z.number(),
    durationMs: z.number(),
    retries: z.number().int(),
  }),
  /** A model call failed in a way worth retrying and will be tried again (after `delayMs`). */
  "model-call-retry": z.object({
    callId: z.string(),
    role: RoleSchema,
    taskId: z.string().nullable(),
    model: z.string(),
    /** The endpoint that failed. */
    endpoint: z.string(),
    /** 1 for the first retry. */
    attempt: z.number().int(),
    /** HTTP status of the failure; null for timeouts and dropped connections. */
    status: z.number().int().nullable(),
    /** Wait before the next attempt: backoff, or the server's Retry-After; 0 when another endpoint takes it at once. */
    delayMs: z.number(),
    reason: z.string(),
  }),
  "budget-refuse": z.object({
    scope: z.enum(["run", "task"]),
    kind: z.enum(["usd", "tokens", "wall-time"]),
    taskId: z.string().nullable(),
    limit: z.number(),
    used: z.number(),
  }),
  "tool-call-start": z.object({
    taskId: z.string(),
    attempt: z.number().int(),
    callId: z.string(),
    tool: z.string(),
    input: z.string(),
  }),
  "tool-call-end": z.object({
    taskId: z.string(),
    attempt: z.number().int(),
    callId: z.string(),
    tool: z.string(),
    ok: z.boolean(),
    output: z.string(),
    durationMs: z.number(),
  }),
  "agent-text": z.object({ taskId: z.string(), attempt: z.number().int(), text: z.string() }),
  "sandbox-create": z.object({
    taskId: z.string(),
    sandbox: z.string(),
    provider: z.string(),
    readyMs: z.number(),
  }),
  "sandbox-destroy": z.object({ taskId: z.string(), sandbox: z.string() }),
  "merge-enqueue": z.object({ taskId: z.string(), attempt: z.number().int(), commit: z.string() }),
  "merge-land": z.object({
    taskId: z.string(),
    attempt: z.number().int(),
    sha: z.string(),
    previous: z.string(),
    strategy: z.string(),
    /** The work was already on the branch: nothing was committed and the branch did not move. */
    noop: z.boolean().default(false),
  }),
  /** The queue resolved a conflict (or a duplicated addition) itself before landing; see decision 0003. */
  "merge-auto-resolved": z.object({
    taskId: z.string(),
    attempt: z.number().int(),
    rule: z.enum(["union-of-additions", "json-manifest", "lockfile-regenerated"]),
    files: z.array(z.string()),
    hunks: z.number().int(),
  }),
  "merge-conflict": z.object({ taskId: z.string(), attempt: z.number().int(), files: z.array(z.string()) }),
  /**
   * How a conflict the queue sent back was answered (docs/decisions/0013): `hunks`, one model
   * call on the conflicted hunks verified by the checks (ok: the resolved `commit` goes to the
   * queue); `rerun`, a new attempt of the task (recorded when it ends, with its tokens). The
   * queue's own resolutions are `merge-auto-resolved`.
   */
  "conflict-resolution": z.object({
    taskId: z.string(),
    /** The attempt whose work conflicted. */
    attempt: z.number().int(),
    method: z.enum(["hunks", "rerun"]),
    ok: z.boolean(),
    files: z.array(z.string()),
    /** Hunks answered (0 for a re-run). */
    hunks: z.number().int(),
    commit: z.string().nullable(),
    /** Tokens this answer cost: the resolution call (and its repair round), or the whole re-run. */
    usage: UsageSchema,
    reason: z.string(),
  }),
  "merge-gate": z.object({ taskIds: z.array(z.string()), pass: z.boolean(), check: z.string() }),
  "merge-push": z.object({ ref: z.string(), sha: z.string(), ok: z.boolean(), error: z.string().nullable() }),
  "merge-revert": z.object({ taskId: z.string(), reverted: z.string(), sha: z.string(), reason: z.string() }),
  "health-check": z.object({ commit: z.string(), checks: z.array(HealthCheckSchema), green: z.boolean() }),
  "fix-create": z.object({ taskId: z.string(), fingerprint: z.string(), culprit: z.string().nullable() }),
  /** A critic task's findings: those at or above the threshold became tasks, the rest are notes. */
  "critic-report": z.object({
    taskId: z.string(),
    critic: z.string(),
    round: z.number().int(),
    findings: z.array(
      z.object({
        title: z.string(),
        severity: z.number(),
        scope: z.array(z.string()),
        description: z.string(),
      }),
    ),
    taskIds: z.array(z.string()),
    notes: z.array(z.string()),
  }),
  "target-update": z.object({
    branch: z.string(),
    sha: z.string().nullable(),
    landed: z.boolean(),
    command: z.string().nullable(),
  }),
  log: z.object({
    level: z.enum(["debug", "info", "warn", "error"]),
    message: z.string(),
    taskId: z.string().nullable().default(null),
  }),
} as const;

export type EventType = keyof typeof eventBodies;
export const eventTypes = Object.keys(eventBodies) as EventType[];

/**
 * Version of the event stream's schema (`--json`, the run log, MCP resources). It changes when
 * a field is removed or changes meaning; new event types and new fields may appear without it.
 */
export const eventSchemaVersion = 1;

/** The payload schema of each event type (for generated docs and tools). */
export function eventBodySchema(type: EventType): z.ZodObject {
  return eventBodies[type];
}

const EventBaseSchema = z.object({
  runId: z.string(),
  seq: z.number().int().min(0),
  at: z.number(),
});

type BodySchemas = typeof eventBodies;
/** The payload of an event of type `T`, without the envelope. */
export type EventBody<T extends EventType> = z.infer<BodySchemas[T]>;
/** Input payload (defaults may be omitted). */
export type EventBodyInput<T extends EventType> = z.input<BodySchemas[T]>;

/** A recorded event: envelope (run id, sequence number, timestamp) plus a typed payload. */
export type LongshotEvent = {
  [T in EventType]: { type: T; runId: string; seq: number; at: number } & EventBody<T>;
}[EventType];

/** An event before the log gives it a sequence number and timestamp. */
export type NewEvent = {
  [T in EventType]: { type: T } & EventBodyInput<T>;
}[EventType];

export type EventOf<T extends EventType> = Extract<LongshotEvent, { type: T }>;

const eventSchemas = eventTypes.map((type) =>
  EventBaseSchema.extend({ type: z.literal(type) }).extend(eventBodies[type].shape),
);

/** Parses a stored or foreign event; throws a zod error naming what is wrong. */
export const LongshotEventSchema = z.discriminatedUnion(
  "type",
  eventSchemas as unknown as [(typeof eventSchemas)[number], ...(typeof eventSchemas)[number][]],
) as unknown as z.ZodType<LongshotEvent>;

export function parseEvent(value: unknown): LongshotEvent {
  return LongshotEventSchema.parse(value);
}

/** Something that accepts new events (the store, a test collector, a forwarding adapter). */
export type EmitEvent = (event: NewEvent) => void;
