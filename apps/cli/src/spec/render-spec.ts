import type { SpecAnswers } from "./spec-questions.js";

/**
 * Renders the answers as SPEC.md in the shape the planner reads: `# name`, then Problem, Users,
 * Core features (numbered), Constraints (bullets) and Acceptance (a checklist). Pure.
 */
export function renderSpec(answers: SpecAnswers): string {
  const sections = [
    `# ${oneLine(answers.name)}`,
    `## Problem\n\n${answers.problem.trim()}`,
    `## Users\n\n${answers.users.trim()}`,
    `## Core features\n\n${answers.features.map((feature, index) => `${index + 1}. ${oneLine(feature)}`).join("\n")}`,
    `## Constraints\n\n${bullets(answers.constraints, "- ", "None stated.")}`,
    `## Acceptance\n\n${bullets(answers.acceptance, "- [ ] ", "- [ ] Every core feature works as described.")}`,
  ];
  return `${sections.join("\n\n")}\n`;
}

function bullets(items: readonly string[], marker: string, fallback: string): string {
  return items.length === 0 ? fallback : items.map((item) => `${marker}${oneLine(item)}`).join("\n");
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
