import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AbortError, UserError } from "@longshot/core";
import type { LanguageModel } from "@longshot/llm";
import { heuristicSuggestions } from "./heuristic-suggestions.js";
import { askList, askText, showQuestion } from "./internal/ask-question.js";
import { LinePrompter } from "./internal/line-prompter.js";
import { SuggestionSource } from "./internal/suggestion-source.js";
import { renderSpec } from "./render-spec.js";
import { type RepoFacts, readRepoFacts } from "./repo-facts.js";
import { type SpecAnswers, specQuestions } from "./spec-questions.js";

/** Options of {@link runSpecInterview}. */
export interface SpecInterviewOptions {
  /** Where answers come from: a terminal, or lines piped in (numbers pick suggestions). */
  readonly input: NodeJS.ReadableStream;
  /** Where questions, suggestions and the outcome are written. */
  readonly output: NodeJS.WritableStream;
  /** The repository SPEC.md is written into, and suggestions are derived from. */
  readonly repoDir: string;
  /** True when `input` is a terminal: line editing, and Ctrl+C / Ctrl+D stop the interview. */
  readonly isTty: boolean;
  /** Asked (role `planner`) for suggestions; `null` or absent uses the repository's only. */
  readonly model?: LanguageModel | null;
  /** Replace an existing SPEC.md without asking (`--yes`). */
  readonly overwrite?: boolean;
  /** Aborting stops the interview like Ctrl+C: nothing is written. */
  readonly signal: AbortSignal;
}

/** How the interview ended. */
export type SpecInterviewOutcome =
  /** SPEC.md was written. */
  | "written"
  /** SPEC.md exists and the user did not agree to replace it. */
  | "kept-existing"
  /** Ctrl+C, or the signal aborted. */
  | "cancelled"
  /** Input ended before the last question was answered. */
  | "end-of-input";

/** What {@link runSpecInterview} did. */
export interface SpecInterviewResult {
  /** `<repoDir>/SPEC.md`, whether or not it was written. */
  readonly path: string;
  /** True only when SPEC.md was written. */
  readonly written: boolean;
  readonly outcome: SpecInterviewOutcome;
}

/**
 * Interviews the user for a product spec (name, problem, users, core features, constraints,
 * acceptance), offering suggested answers derived from the repository, or from `model` when
 * given, and writes `<repoDir>/SPEC.md`. An existing SPEC.md is replaced only when
 * `overwrite` is set or the user says yes (default no). Nothing is written when the
 * interview is interrupted (Ctrl+C, `signal`) or input ends early; the output says so, and the
 * result's `outcome` tells which. A failing model call falls back to the repository's
 * suggestions. Throws `UserError` when `repoDir` is not a directory.
 */
export async function runSpecInterview(options: SpecInterviewOptions): Promise<SpecInterviewResult> {
  const path = join(options.repoDir, "SPEC.md");
  const directory = await stat(options.repoDir).catch(() => undefined);
  if (directory?.isDirectory() !== true) {
    throw new UserError(
      `${options.repoDir} is not a directory; pass --repo with the repository to write SPEC.md into.`,
    );
  }
  const facts = await readRepoFacts(options.repoDir);
  const prompter = new LinePrompter({
    input: options.input,
    output: options.output,
    terminal: options.isTty,
    signal: options.signal,
  });
  const finish = (outcome: SpecInterviewOutcome, message: string): SpecInterviewResult => {
    prompter.write(`${message}\n`);
    return { path, written: outcome === "written", outcome };
  };
  try {
    prompter.write(
      `Let's write SPEC.md for ${facts.dirName}. Answer in your own words, or type a number to pick a suggestion.\n` +
        `${options.isTty ? "Ctrl+C" : "Input that ends early"} stops the interview without writing anything.\n`,
    );
    const exists = (await stat(path).catch(() => undefined)) !== undefined;
    if (exists && options.overwrite !== true) {
      const reply = await prompter.ask(
        "SPEC.md already exists. Replace it when the interview is done? [y/N] ",
      );
      if (reply === null) return stoppedResult(prompter, finish);
      if (!/^y(?:es)?$/i.test(reply.trim())) {
        return finish("kept-existing", "Kept the existing SPEC.md; nothing was written.");
      }
    }
    const answers = await interview(prompter, facts, options);
    if (answers === null) return stoppedResult(prompter, finish);
    try {
      await writeFile(path, renderSpec(answers), { flag: exists ? "w" : "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      return finish(
        "kept-existing",
        "SPEC.md appeared while the interview ran; kept it, nothing was written.",
      );
    }
    return finish(
      "written",
      `\nWrote ${path}: ${count(answers.features.length, "core feature")}, ` +
        `${count(answers.constraints.length, "constraint")}, ${count(answers.acceptance.length, "acceptance check")}.\n` +
        `Next: longshot "Build per SPEC.md"`,
    );
  } finally {
    prompter.close();
  }
}

type Draft = { -readonly [K in keyof SpecAnswers]?: SpecAnswers[K] };

async function interview(
  prompter: LinePrompter,
  facts: RepoFacts,
  options: SpecInterviewOptions,
): Promise<SpecAnswers | null> {
  const source = new SuggestionSource({
    model: options.model ?? null,
    facts,
    heuristic: heuristicSuggestions(facts, process.versions.node.split(".")[0] ?? "24"),
    note: (line) => prompter.write(`${line}\n`),
    ...(options.isTty ? { onAsk: () => prompter.write("(asking the model for suggestions…)\n") } : {}),
  });
  const draft: Draft = {};
  for (const [index, question] of specQuestions.entries()) {
    let suggestions: readonly string[];
    try {
      suggestions = await source.suggestionsFor(question, draft, prompter.interruptSignal);
    } catch (error) {
      if (prompter.interruptSignal.aborted || error instanceof AbortError) return null;
      throw error;
    }
    showQuestion(prompter, question, index + 1, specQuestions.length, suggestions);
    if (question.kind === "text") {
      const answer = await askText(prompter, suggestions);
      if (answer === null) return null;
      draft[question.id] = answer;
    } else {
      const answer = await askList(prompter, suggestions);
      if (answer === null) return null;
      draft[question.id] = answer;
    }
  }
  // Every question is answered once the loop ends.
  return draft as SpecAnswers;
}

function stoppedResult(
  prompter: LinePrompter,
  finish: (outcome: SpecInterviewOutcome, message: string) => SpecInterviewResult,
): SpecInterviewResult {
  return prompter.stopped === "end-of-input"
    ? finish("end-of-input", "Input ended before the interview was done; nothing was written.")
    : finish("cancelled", "Interview stopped; nothing was written.");
}

function count(amount: number, noun: string): string {
  return `${amount} ${noun}${amount === 1 ? "" : "s"}`;
}
