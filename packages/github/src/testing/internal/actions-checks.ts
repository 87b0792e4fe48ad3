/** Shared checks of GitHub Actions files (workflows and composite actions), on parsed YAML. */

export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Problems for keys GitHub does not accept at `where`. */
export function unknownKeys(value: Mapping, allowed: readonly string[], where: string): string[] {
  return Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => `${where}: unexpected key "${key}" (expected one of ${allowed.join(", ")})`);
}

/** Every string in `value` with its path, for expression checks. */
export function stringsIn(value: unknown, path: string): { path: string; text: string }[] {
  if (typeof value === "string") return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringsIn(item, `${path}[${index}]`));
  if (isMapping(value))
    return Object.entries(value).flatMap(([key, inner]) => stringsIn(inner, `${path}.${key}`));
  return [];
}

/** The expression bodies in `text` (`${{ … }}`), or a problem when one is not closed. */
export function expressionsIn(text: string): { bodies: string[]; unclosed: boolean } {
  const bodies: string[] = [];
  let index = text.indexOf("${{");
  while (index >= 0) {
    const end = text.indexOf("}}", index + 3);
    if (end < 0) return { bodies, unclosed: true };
    bodies.push(text.slice(index + 3, end));
    index = text.indexOf("${{", end + 2);
  }
  return { bodies, unclosed: false };
}

const contextReference = (context: string): RegExp =>
  new RegExp(`\\b${context}\\.([A-Za-z_][A-Za-z0-9_-]*)`, "g");

/** Names referenced as `<context>.<name>` in the expressions of `text` (and in a bare `if`). */
export function referencesIn(text: string, context: string, bareExpression: boolean): string[] {
  const bodies = bareExpression && !text.includes("${{") ? [text] : expressionsIn(text).bodies;
  return bodies.flatMap((body) =>
    [...body.matchAll(contextReference(context))].map((match) => match[1] ?? ""),
  );
}

/** Problems with expressions anywhere in `document`: unclosed ones and undeclared inputs. */
export function checkExpressions(document: unknown, declaredInputs: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const { path, text } of stringsIn(document, "")) {
    const where = path.replace(/^\./, "");
    if (expressionsIn(text).unclosed)
      problems.push(`${where}: an expression "\${{" is never closed with "}}"`);
    const bare = /\.if$/.test(path);
    for (const name of referencesIn(text, "inputs", bare)) {
      if (!declaredInputs.has(name))
        problems.push(`${where}: refers to inputs.${name}, which is not declared`);
    }
  }
  return problems;
}

const stepKeys = [
  "id",
  "if",
  "name",
  "uses",
  "run",
  "shell",
  "with",
  "env",
  "continue-on-error",
  "timeout-minutes",
  "working-directory",
];
const usesPattern = /^(\.\/\S*|docker:\/\/\S+|[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@[A-Za-z0-9_./-]+)$/;
const stepIdPattern = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const injectable = /\$\{\{\s*(inputs\.|github\.event\.|github\.head_ref)/;

/**
 * Problems with a list of steps: each has exactly one of `run` and `uses`, known keys, a shell
 * for `run` in a composite action, unique ids, references only to earlier steps' outputs, and
 * no untrusted values expanded into a script (pass them through `env` instead).
 */
export function checkSteps(
  steps: unknown,
  where: string,
  composite: boolean,
): { problems: string[]; ids: string[] } {
  if (!Array.isArray(steps) || steps.length === 0)
    return { problems: [`${where}: needs a list of steps`], ids: [] };
  const problems: string[] = [];
  const ids: string[] = [];
  steps.forEach((step, index) => {
    const at = `${where}[${index}]`;
    if (!isMapping(step)) {
      problems.push(`${at}: a step must be a mapping`);
      return;
    }
    problems.push(...unknownKeys(step, stepKeys, at), ...checkStep(step, at, composite));
    for (const { path, text } of stringsIn(step, at)) {
      for (const id of referencesIn(text, "steps", path.endsWith(".if"))) {
        if (!ids.includes(id))
          problems.push(`${path}: refers to steps.${id}, which is not an earlier step's id`);
      }
    }
    if (typeof step.id === "string") {
      if (!stepIdPattern.test(step.id)) problems.push(`${at}: id "${step.id}" is not a valid step id`);
      if (ids.includes(step.id)) problems.push(`${at}: id "${step.id}" is used twice`);
      ids.push(step.id);
    }
  });
  return { problems, ids };
}

function checkStep(step: Mapping, at: string, composite: boolean): string[] {
  const problems: string[] = [];
  const hasRun = step.run !== undefined;
  const hasUses = step.uses !== undefined;
  if (hasRun === hasUses) problems.push(`${at}: a step needs exactly one of "run" and "uses"`);
  if (hasRun && (typeof step.run !== "string" || step.run.trim() === ""))
    problems.push(`${at}: "run" must be a script`);
  if (hasUses && (typeof step.uses !== "string" || !usesPattern.test(step.uses))) {
    problems.push(`${at}: "uses" must be owner/repo@ref, ./path or docker://image`);
  }
  if (hasRun && composite && typeof step.shell !== "string") {
    problems.push(`${at}: a run step of a composite action needs "shell"`);
  }
  if (hasUses && (step.shell !== undefined || step["working-directory"] !== undefined)) {
    problems.push(`${at}: "shell" and "working-directory" apply only to run steps`);
  }
  if (hasRun && step.with !== undefined) problems.push(`${at}: "with" applies only to uses steps`);
  if (typeof step.run === "string" && injectable.test(step.run)) {
    problems.push(`${at}: expands an untrusted value into the script; pass it through env`);
  }
  for (const key of ["with", "env"]) {
    if (step[key] !== undefined && !isMapping(step[key])) problems.push(`${at}: "${key}" must be a mapping`);
  }
  return problems;
}
