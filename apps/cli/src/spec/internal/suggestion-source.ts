import { AbortError, messageOf } from "@longshot/core";
import type { LanguageModel } from "@longshot/llm";
import { maxSuggestions } from "../heuristic-suggestions.js";
import { modelSuggestions } from "../model-suggestions.js";
import type { RepoFacts } from "../repo-facts.js";
import type { SpecAnswers, SpecQuestion, SuggestionSet } from "../spec-questions.js";

/**
 * Suggestions for each question: the model's when there is one (topped up from the
 * repository's), the repository's otherwise. After the first failed model call the rest of
 * the interview uses the repository's only, so a dead endpoint costs one wait, not six.
 */
export class SuggestionSource {
  #model: LanguageModel | null;
  readonly #facts: RepoFacts;
  readonly #heuristic: SuggestionSet;
  readonly #note: (line: string) => void;
  readonly #onAsk: (() => void) | undefined;

  constructor(options: {
    readonly model: LanguageModel | null;
    readonly facts: RepoFacts;
    readonly heuristic: SuggestionSet;
    /** Receives one line when the model is given up on. */
    readonly note: (line: string) => void;
    /** Called before each model call, to show that something is happening. */
    readonly onAsk?: () => void;
  }) {
    this.#model = options.model;
    this.#facts = options.facts;
    this.#heuristic = options.heuristic;
    this.#note = options.note;
    this.#onAsk = options.onAsk;
  }

  /** Throws `AbortError` when `signal` aborts during a model call. */
  async suggestionsFor(
    question: SpecQuestion,
    answers: Partial<SpecAnswers>,
    signal: AbortSignal,
  ): Promise<readonly string[]> {
    const heuristic = this.#heuristic[question.id];
    // The repository names the project better than a model that knows nothing else yet.
    if (this.#model === null || question.id === "name") return heuristic;
    let reason: string;
    this.#onAsk?.();
    try {
      const result = await modelSuggestions(this.#model, question, { facts: this.#facts, answers }, signal);
      if (result.ok) return topUp(result.suggestions, heuristic);
      reason = result.reason;
    } catch (error) {
      if (signal.aborted || error instanceof AbortError) throw error;
      reason = messageOf(error);
    }
    this.#model = null;
    this.#note(`(No suggestions from the model: ${reason}. Using suggestions from the repository.)`);
    return heuristic;
  }
}

function topUp(first: readonly string[], more: readonly string[]): string[] {
  const seen = new Set(first.map((text) => text.toLowerCase()));
  const extra = more.filter((text) => !seen.has(text.toLowerCase()));
  return [...first, ...extra].slice(0, Math.max(first.length, maxSuggestions));
}
