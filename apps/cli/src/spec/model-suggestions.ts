import { assertNever } from "@longshot/core";
import type { LanguageModel } from "@longshot/llm";
import { z } from "zod";
import { maxSuggestions } from "./heuristic-suggestions.js";
import type { RepoFacts } from "./repo-facts.js";
import type { SpecAnswers, SpecQuestion } from "./spec-questions.js";

/** What the model is asked to return. */
export const SuggestionsSchema = z.object({
  suggestions: z.array(z.string()).min(1).max(8),
});

/** The outcome of asking the model: its suggestions, or why there are none. */
export type ModelSuggestions =
  | { readonly ok: true; readonly suggestions: readonly string[] }
  | { readonly ok: false; readonly reason: string };

const guidance: Readonly<Record<SpecQuestion["id"], string>> = {
  name: "Suggest short project names.",
  problem: "Each suggestion states what is wrong today and for whom, in one or two sentences.",
  users: "Each suggestion names a group of users and what they already know.",
  features: "Each suggestion is one core feature, phrased as something the software does.",
  constraints: "Each suggestion is one constraint: language, library, performance, compatibility.",
  acceptance:
    "Each suggestion is one checkable acceptance criterion: a command that must pass (in backticks) or observable behaviour.",
};

const system =
  "You help a developer write SPEC.md, the product spec a planning agent will build from. " +
  "You suggest candidate answers to one interview question at a time. Suggestions are concrete, " +
  "specific to this project, one line each, at most 25 words, and different from each other.";

/**
 * Asks the model (role `planner`) for up to four suggested answers to `question`, given what
 * the repository says and the answers so far. A failed call or invalid output is a value with
 * the reason, so the caller can fall back. Throws `AbortError` when `signal` aborts.
 */
export async function modelSuggestions(
  model: LanguageModel,
  question: SpecQuestion,
  context: { readonly facts: RepoFacts; readonly answers: Partial<SpecAnswers> },
  signal: AbortSignal,
): Promise<ModelSuggestions> {
  const prompt = [
    "Repository:",
    describeFacts(context.facts),
    "",
    "Answers so far:",
    describeAnswers(context.answers),
    "",
    `Question (${question.title}): ${question.prompt}`,
    guidance[question.id],
    `Give 3 or ${maxSuggestions} suggestions.`,
  ].join("\n");
  const result = await model.generateObject(
    SuggestionsSchema,
    {
      messages: [
        { role: "system", content: system },
        { role: "user", content: prompt },
      ],
      maxTokens: 600,
    },
    { role: "planner", runId: "spec-interview", signal, schemaName: "suggestions" },
  );
  if (result.ok) {
    const suggestions = [...new Set(result.value.suggestions.map((text) => text.replace(/\s+/g, " ").trim()))]
      .filter((text) => text !== "")
      .slice(0, maxSuggestions);
    return suggestions.length > 0
      ? { ok: true, suggestions }
      : { ok: false, reason: "the model suggested nothing" };
  }
  switch (result.kind) {
    case "invalid-output":
      return { ok: false, reason: `the model's reply was not valid (${firstLine(result.error)})` };
    case "budget":
      return { ok: false, reason: firstLine(result.message) };
    case "failed":
      return { ok: false, reason: firstLine(result.error) };
    default:
      return assertNever(result);
  }
}

function describeFacts(facts: RepoFacts): string {
  const lines = [
    `- directory: ${facts.dirName}`,
    facts.packageName === undefined ? undefined : `- package name: ${facts.packageName}`,
    facts.description === undefined ? undefined : `- description: ${facts.description}`,
    facts.readmeParagraph === undefined ? undefined : `- README: ${facts.readmeParagraph}`,
    facts.ecosystem === undefined ? undefined : `- toolchain: ${JSON.stringify(facts.ecosystem)}`,
    facts.hasCli ? "- it ships a command-line binary" : undefined,
  ];
  const known = lines.filter((line) => line !== undefined);
  return known.length > 1 ? known.join("\n") : `${known.join("\n")}\n- (an empty or new repository)`;
}

function describeAnswers(answers: Partial<SpecAnswers>): string {
  const lines = Object.entries(answers).map(
    ([id, value]) => `- ${id}: ${Array.isArray(value) ? value.join("; ") : String(value)}`,
  );
  return lines.length > 0 ? lines.join("\n") : "- (none yet)";
}

function firstLine(text: string): string {
  return text.split("\n")[0]?.trim() ?? text;
}
