import type { SpecQuestion } from "../spec-questions.js";
import type { LinePrompter } from "./line-prompter.js";
import { parseAnswer } from "./parse-answer.js";

/** Shows the question and its numbered suggestions. */
export function showQuestion(
  prompter: LinePrompter,
  question: SpecQuestion,
  step: number,
  total: number,
  suggestions: readonly string[],
): void {
  const lines = [`\n${step}/${total} ${question.title}`, question.prompt];
  suggestions.forEach((suggestion, index) => {
    lines.push(`  ${index + 1}. ${suggestion}`);
  });
  if (suggestions.length > 0) {
    const pick = suggestions.length === 1 ? "1" : `1-${suggestions.length}`;
    lines.push(
      question.kind === "list"
        ? `Type ${pick} to pick (several at once: 1,3), or your own words.`
        : `Type ${pick} to pick, or your own words.`,
    );
  }
  prompter.write(`${lines.join("\n")}\n`);
}

/** Asks until a non-empty answer; `null` when input ended or was interrupted. */
export async function askText(
  prompter: LinePrompter,
  suggestions: readonly string[],
): Promise<string | null> {
  for (;;) {
    const line = await prompter.ask("> ");
    if (line === null) return null;
    const answer = parseAnswer(line, suggestions, false);
    if (answer.kind === "text") return answer.value;
    if (answer.kind === "picks" && answer.values[0] !== undefined) {
      prompter.write(`  = ${answer.values[0]}\n`);
      return answer.values[0];
    }
    prompter.write(
      suggestions.length > 0
        ? "  Please answer, or type a number to pick a suggestion.\n"
        : "  Please answer.\n",
    );
  }
}

/**
 * Collects list items until an empty line (at least one item); `null` when input ended or was
 * interrupted. Picking a suggestion twice adds it once.
 */
export async function askList(
  prompter: LinePrompter,
  suggestions: readonly string[],
): Promise<string[] | null> {
  const items: string[] = [];
  for (;;) {
    const line = await prompter.ask(`${items.length + 1}> `);
    if (line === null) return null;
    const answer = parseAnswer(line, suggestions, true);
    if (answer.kind === "empty") {
      if (items.length > 0) return items;
      prompter.write("  Give at least one, then an empty line to finish.\n");
      continue;
    }
    const added = answer.kind === "picks" ? answer.values : [answer.value];
    for (const item of added) {
      if (items.includes(item)) continue;
      items.push(item);
      if (answer.kind === "picks") prompter.write(`  + ${item}\n`);
    }
  }
}
