import { HandoffStatusSchema, MergeOutcomeSchema } from "@longshot/core";
import { z } from "zod";
import { TaskGraphSnapshotSchema } from "./task-graph.js";

/** News for the planner, kept until a planner call has seen it. */
export const DeltaItemSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("handoff"),
    taskId: z.string(),
    status: HandoffStatusSchema,
    summary: z.string(),
    concerns: z.array(z.string()),
    suggestions: z.array(z.string()),
  }),
  z.object({ kind: z.literal("failure"), taskId: z.string(), reason: z.string() }),
  z.object({ kind: z.literal("merge"), taskId: z.string(), outcome: MergeOutcomeSchema, detail: z.string() }),
  z.object({ kind: z.literal("health"), green: z.boolean(), summary: z.string() }),
]);
export type DeltaItem = z.infer<typeof DeltaItemSchema>;

/** Everything a planner needs to continue the same plan after a restart. */
export const PlannerStateSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  request: z.string(),
  /** `<prompt>@<version>` of every prompt used, recorded with the plan. */
  promptVersions: z.record(z.string(), z.string()),
  /** The model's running notes, carried from call to call. */
  scratchpad: z.string(),
  /** Batches of the root plan accepted so far. */
  batch: z.number().int().min(0),
  /** True once the model said no more batches follow (or the batch limit was reached). */
  planningDone: z.boolean(),
  /** Set when the plan was rejected: the problems, and which call they came from. */
  rejection: z.object({ stage: z.string(), problems: z.array(z.string()) }).nullable(),
  complete: z.boolean(),
  /** The model's task keys and the ids code gave them. */
  keys: z.record(z.string(), z.string()),
  graph: TaskGraphSnapshotSchema,
  /** News not yet shown to the model. */
  inbox: z.array(DeltaItemSchema),
  /** Items shown to the model so far. */
  seen: z.number().int().min(0),
  handoffsSinceReplan: z.number().int().min(0),
  /** True when news arrived after the last replan (or planning finished since). */
  changedSinceReplan: z.boolean(),
  replans: z.number().int().min(0),
});
export type PlannerState = z.infer<typeof PlannerStateSchema>;

/**
 * Where planner state is kept between runs. `load` returns `undefined` when nothing was saved
 * for the run; both methods throw `AbortError` when the signal aborts.
 */
export interface PlannerStateStore {
  load(signal: AbortSignal): Promise<PlannerState | undefined>;
  save(state: PlannerState, signal: AbortSignal): Promise<void>;
}
