/** The interview's questions, in the order they are asked. */
export const specQuestions = [
  {
    id: "name",
    title: "Project name",
    prompt: "What is the project called?",
    kind: "text",
  },
  {
    id: "problem",
    title: "Problem",
    prompt: "What is wrong today, and for whom?",
    kind: "text",
  },
  {
    id: "users",
    title: "Users",
    prompt: "Who will use it, and what do they already know?",
    kind: "text",
  },
  {
    id: "features",
    title: "Core features",
    prompt: "What must it do? One feature per line; an empty line ends the list.",
    kind: "list",
  },
  {
    id: "constraints",
    title: "Constraints",
    prompt:
      "Languages, libraries, performance, compatibility, things that must not change? One per line; an empty line ends the list.",
    kind: "list",
  },
  {
    id: "acceptance",
    title: "Acceptance",
    prompt:
      "How will we know it is done: commands that must pass, behaviour that must be observable? One per line; an empty line ends the list.",
    kind: "list",
  },
] as const;

/** One question of the interview. */
export type SpecQuestion = (typeof specQuestions)[number];

/** Which question: `name`, `problem`, `users`, `features`, `constraints` or `acceptance`. */
export type QuestionId = SpecQuestion["id"];

/** Everything the interview collects; what SPEC.md is rendered from. */
export interface SpecAnswers {
  readonly name: string;
  readonly problem: string;
  readonly users: string;
  readonly features: readonly string[];
  readonly constraints: readonly string[];
  readonly acceptance: readonly string[];
}

/** Suggested answers for each question, best first. */
export type SuggestionSet = Readonly<Record<QuestionId, readonly string[]>>;
