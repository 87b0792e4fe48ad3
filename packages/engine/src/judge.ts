import type { Handoff, HealthCheck, Task } from "@longshot/core";
import type { LanguageModel } from "@longshot/llm";
import { z } from "zod";
import { describeChecks } from "./attempt-checks.js";

export const VerdictSchema = z.object({
  accepted: z.boolean(),
  feedback: z
    .string()
    .describe("When rejecting: the concrete changes the next attempt must make. When accepting: one line."),
});
export type Verdict = z.infer<typeof VerdictSchema>;

export interface ReviewInput {
  readonly runId: string;
  readonly task: Task;
  readonly handoff: Handoff | null;
  /** Unified diff of the attempt against its base, already cut to a reasonable size. */
  readonly diff: string;
  readonly checks: readonly HealthCheck[];
  /** Findings of the tamper guard (deleted or skipped tests and the like). */
  readonly concerns: readonly string[];
}

/** Reviews an attempt's work against the task's acceptance criteria. */
export interface Judge {
  review(input: ReviewInput, signal: AbortSignal): Promise<Verdict>;
}

const maxDiffChars = 40_000;

/**
 * A judge that asks a model. When the model cannot give a valid verdict (invalid output, a
 * failed call, a budget refusal) the work is accepted with that reason: the reconciler's checks
 * on the integration branch stay the safety net, and a run never stalls on its reviewer.
 */
export class ModelJudge implements Judge {
  readonly #model: LanguageModel;

  constructor(model: LanguageModel) {
    this.#model = model;
  }

  async review(input: ReviewInput, signal: AbortSignal): Promise<Verdict> {
    const diff =
      input.diff.length > maxDiffChars
        ? `${input.diff.slice(0, maxDiffChars)}\n… (diff cut at ${maxDiffChars} characters)`
        : input.diff;
    const checks = input.checks.map((check) => {
      const counts =
        check.counts === null
          ? ""
          : ` (${check.counts.passed} passed, ${check.counts.failed} failed, ${check.counts.skipped} skipped)`;
      return `- ${check.name} \`${check.command}\`: ${check.ok ? "pass" : "FAIL"}${counts}${check.ok ? "" : `\n${check.excerpt}`}`;
    });
    const prompt = [
      `Task ${input.task.id}: ${input.task.title}`,
      input.task.description,
      "",
      "Acceptance criteria:",
      ...(input.task.acceptance.length > 0
        ? input.task.acceptance.map((line) => `- ${line}`)
        : ["- (none given)"]),
      "",
      `Worker's handoff: ${input.handoff ? `${input.handoff.status}: ${input.handoff.summary}` : "(none)"}`,
      ...(input.handoff?.concerns ?? []).map((concern) => `- concern: ${concern}`),
      ...input.concerns.map((concern) => `- guard: ${concern}`),
      "",
      "Checks run on this commit in the worker's sandbox:",
      ...(checks.length > 0 ? checks : ["- (none run)"]),
      "",
      "Diff:",
      diff || "(empty diff)",
    ].join("\n");
    const result = await this.#model.generateObject(
      VerdictSchema,
      {
        messages: [
          {
            role: "system",
            content:
              "You review one task's change. Accept when the diff meets every acceptance criterion, adds no TODOs or stubs, and deletes or skips no tests. The checks were run on this very commit: a failing build, typecheck, lint or test of this task is a reason to reject unless the failure plainly belongs to work outside this task; say which checks you relied on. Otherwise reject with concrete, actionable feedback (files, functions, what is missing). Reply with JSON only.",
          },
          { role: "user", content: prompt },
        ],
      },
      { role: "judge", runId: input.runId, taskId: input.task.id, signal, schemaName: "verdict" },
    );
    // The verdict always cites the proof it was given, whatever the model wrote.
    const cited = input.checks.length === 0 ? "" : ` [checks: ${describeChecks(input.checks)}]`;
    if (result.ok) return { ...result.value, feedback: `${result.value.feedback}${cited}` };
    const reason = result.kind === "budget" ? result.message : result.error;
    return { accepted: true, feedback: `not reviewed (${reason})${cited}` };
  }
}
