import { assertNever } from "@longshot/core";
import type { Ecosystem, NodeProject, RepoFacts } from "./repo-facts.js";
import type { SuggestionSet } from "./spec-questions.js";

/** The most suggestions shown for one question. */
export const maxSuggestions = 4;

/**
 * Suggested answers derived from the repository alone: names from the manifest, README and
 * directory; the problem from the README's first paragraph or the manifest description;
 * constraints and acceptance commands from the toolchain. Pure; `nodeVersion` is the major
 * version to suggest when the repository states none.
 */
export function heuristicSuggestions(facts: RepoFacts, nodeVersion: string): SuggestionSet {
  const subject = facts.packageName ?? facts.readmeTitle ?? facts.dirName;
  return {
    name: top([facts.readmeTitle, facts.packageName, facts.dirName]),
    problem: top([
      facts.readmeParagraph,
      facts.description,
      "Doing this by hand today is slow and error-prone, and nobody can repeat it reliably.",
      "Existing tools are too heavy or too hard to set up for small projects.",
      "There is no tool for this today; people write one-off scripts that break.",
    ]),
    users: top([
      facts.hasCli ? `Developers who run ${subject} from the command line` : undefined,
      facts.ecosystem !== undefined && !facts.hasCli
        ? `Developers who use ${subject} as a library`
        : undefined,
      "My team (internal use), comfortable with the command line",
      "Just me (personal use)",
      "The public: open-source users who install it from a package registry",
    ]),
    features: top([
      ...facts.readmeFeatures,
      facts.hasCli
        ? "A command-line interface with --help for every command"
        : "A small, documented public API",
      "Clear error messages that say what went wrong and how to fix it",
      "Configuration through a file and environment variables",
      "A README with a quick start that works on a fresh machine",
    ]),
    constraints: top([...constraintsOf(facts.ecosystem, nodeVersion), ...genericConstraints]),
    acceptance: top([...acceptanceOf(facts.ecosystem), ...genericAcceptance]),
  };
}

const genericConstraints = [
  "No new runtime dependencies without a clear reason",
  "Keep the existing public API backwards compatible",
  "Runs on Linux and macOS",
];

const genericAcceptance = [
  "Every core feature has a test that exercises it",
  "The README's quick start works on a fresh clone",
];

function constraintsOf(ecosystem: Ecosystem | undefined, nodeVersion: string): string[] {
  if (ecosystem === undefined) return [];
  switch (ecosystem.kind) {
    case "node":
      return [
        `${ecosystem.language}, Node ${ecosystem.nodeVersion ?? nodeVersion}, ${ecosystem.packageManager}`,
        ecosystem.language === "TypeScript" ? "Strict TypeScript, ESM only, no `any`" : "ESM only",
      ];
    case "rust":
      return [
        `Rust${ecosystem.edition === undefined ? "" : ` ${ecosystem.edition} edition`}, stable toolchain, cargo`,
        "No unsafe code",
      ];
    case "go":
      return [
        `Go${ecosystem.goVersion === undefined ? "" : ` ${ecosystem.goVersion}`}, standard library first`,
      ];
    case "python":
      return [
        `Python${ecosystem.requiresPython === undefined ? "" : ` ${ecosystem.requiresPython}`}, ${ecosystem.runner}`,
        "Type hints on every public function",
      ];
    default:
      return assertNever(ecosystem);
  }
}

function acceptanceOf(ecosystem: Ecosystem | undefined): string[] {
  if (ecosystem === undefined) return [];
  switch (ecosystem.kind) {
    case "node":
      return nodeAcceptance(ecosystem);
    case "rust":
      return [
        "`cargo test` passes",
        "`cargo clippy -- -D warnings` is clean",
        "`cargo build --release` succeeds",
      ];
    case "go":
      return ["`go test ./...` passes", "`go vet ./...` is clean", "`go build ./...` succeeds"];
    case "python": {
      const run = ecosystem.runner === "pip" ? "" : `${ecosystem.runner} run `;
      const tools = ecosystem.tools.includes("pytest") ? ecosystem.tools : ["pytest", ...ecosystem.tools];
      return tools.map((tool) =>
        tool === "pytest"
          ? `\`${run}pytest\` passes`
          : tool === "ruff"
            ? `\`${run}ruff check .\` is clean`
            : `\`${run}${tool}\` reports no errors`,
      );
    }
    default:
      return assertNever(ecosystem);
  }
}

function nodeAcceptance(project: NodeProject): string[] {
  const run = (script: string): string =>
    project.packageManager === "npm"
      ? script === "test"
        ? "npm test"
        : `npm run ${script}`
      : `${project.packageManager} ${script}`;
  const verbs: Readonly<Record<string, string>> = {
    test: "passes",
    build: "succeeds",
    typecheck: "passes",
    lint: "is clean",
  };
  const present = Object.keys(verbs).filter((script) => project.scripts.includes(script));
  const scripts = present.includes("test") ? present : ["test", ...present];
  return scripts.map((script) => `\`${run(script)}\` ${verbs[script] ?? "passes"}`);
}

/** The first `maxSuggestions` distinct, non-empty entries. */
function top(candidates: readonly (string | undefined)[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const candidate of candidates) {
    const text = candidate?.trim();
    if (text === undefined || text === "" || seen.has(text.toLowerCase())) continue;
    seen.add(text.toLowerCase());
    result.push(text);
    if (result.length === maxSuggestions) break;
  }
  return result;
}
