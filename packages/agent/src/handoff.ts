import { type Handoff, HandoffSchema, HandoffStatusSchema } from "@longshot/core";
import { z } from "zod";
import { outOfScope } from "./scope.js";

/** Arguments of the `finish` tool: the structured handoff the model writes. */
export const FinishInputSchema = z.object({
  status: HandoffStatusSchema.describe(
    "complete: every acceptance criterion met and checks pass; partial: some progress, more work needed; blocked: cannot proceed without something outside this task; failed: no useful result",
  ),
  summary: z
    .string()
    .min(1)
    .describe("What you did and why, in a few sentences, for the reviewer and the planner"),
  filesChanged: z
    .array(z.string())
    .default([])
    .describe("Repository-relative paths you created, changed or deleted"),
  concerns: z.array(z.string()).default([]).describe("Risks, shortcuts, or things you could not verify"),
  suggestions: z
    .array(z.string())
    .default([])
    .describe("Follow-up work the planner should consider (new tasks, refactors)"),
});
export type FinishInput = z.infer<typeof FinishInputSchema>;

/**
 * Parses a handoff from anywhere (the finish tool, a stored record, a harness); throws a zod
 * error naming what is wrong.
 */
export function validateHandoff(value: unknown): Handoff {
  return HandoffSchema.parse(value);
}

/** A handoff for an attempt that ended without a usable report from the agent. */
export function failedHandoff(summary: string, concerns: readonly string[] = []): Handoff {
  return { status: "failed", summary, filesChanged: [], concerns: [...concerns], suggestions: [] };
}

/**
 * Completes a handoff with what the orchestrator observed: `changedFiles` (from the sandbox's
 * diff or the agent's writes) are merged into `filesChanged`, and any of them outside `scope`
 * is reported in `concerns`. The model's own claims are kept; nothing is removed.
 */
export function reconcileHandoff(
  handoff: Handoff,
  changedFiles: readonly string[],
  scope: readonly string[],
): Handoff {
  const files = [...new Set([...handoff.filesChanged, ...changedFiles])];
  const outside = outOfScope(new Set(changedFiles), scope);
  const concerns =
    outside.length === 0
      ? handoff.concerns
      : [
          ...handoff.concerns,
          `Changed files outside the task's scope (${scope.join(", ")}): ${outside.join(", ")}`,
        ];
  return { ...handoff, filesChanged: files, concerns };
}
