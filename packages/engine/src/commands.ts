import { TaskSpecSchema } from "@longshot/core";
import { z } from "zod";

/** Commands every front end (TUI, MCP, CLI signals) sends to a running engine. */
export const EngineCommandSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("pause") }),
  z.object({ type: z.literal("resume") }),
  z.object({ type: z.literal("stop"), reason: z.string().default("stopped by user") }),
  z.object({ type: z.literal("abort"), reason: z.string().default("aborted by user") }),
  z.object({
    type: z.literal("cancel-task"),
    taskId: z.string().regex(/^t\d{4,}$/, "a task id such as t0001"),
  }),
  z.object({
    type: z.literal("add-task"),
    task: TaskSpecSchema.partial().extend({ title: z.string().min(1), description: z.string().min(1) }),
  }),
  z.object({ type: z.literal("set-max-workers"), value: z.number().int().min(1).max(10_000) }),
]);
export type EngineCommand = z.input<typeof EngineCommandSchema>;
