export { heuristicSuggestions, maxSuggestions } from "./heuristic-suggestions.js";
export { type ModelSuggestions, modelSuggestions, SuggestionsSchema } from "./model-suggestions.js";
export { renderSpec } from "./render-spec.js";
export {
  type Ecosystem,
  type GoProject,
  type NodeProject,
  type PythonProject,
  type RepoFacts,
  type RustProject,
  readRepoFacts,
} from "./repo-facts.js";
export {
  runSpecInterview,
  type SpecInterviewOptions,
  type SpecInterviewOutcome,
  type SpecInterviewResult,
} from "./run-spec-interview.js";
export {
  type QuestionId,
  type SpecAnswers,
  type SpecQuestion,
  type SuggestionSet,
  specQuestions,
} from "./spec-questions.js";
