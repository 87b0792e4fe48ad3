import {
  checkExpressions,
  checkSteps,
  isMapping,
  stringsIn,
  unknownKeys,
} from "./internal/actions-checks.js";

const topKeys = ["name", "author", "description", "inputs", "outputs", "runs", "branding"];
const runners = ["composite", "node20", "node24", "docker"];

/**
 * Problems that make GitHub reject or misrun an action metadata file (`action.yml`, parsed
 * YAML): unknown keys, a missing name or description, inputs without descriptions, outputs of
 * a composite action without `value`, `runs.using` unknown, composite steps without `run` or
 * `uses` or without `shell`, references to undeclared inputs or to unknown steps. An empty
 * list means the file passes.
 */
export function checkAction(document: unknown): string[] {
  if (!isMapping(document)) return ["the action must be a mapping"];
  const problems = unknownKeys(document, topKeys, "action");
  for (const key of ["name", "description"]) {
    if (typeof document[key] !== "string" || document[key] === "") problems.push(`action: needs "${key}"`);
  }
  const declared = new Set<string>();
  if (document.inputs !== undefined) problems.push(...checkInputs(document.inputs, declared));
  const runs = document.runs;
  if (!isMapping(runs) || typeof runs.using !== "string" || !runners.includes(runs.using)) {
    problems.push(`action: needs "runs.using", one of ${runners.join(", ")}`);
    return [...problems, ...checkExpressions(document, declared)];
  }
  let stepIds: string[] = [];
  if (runs.using === "composite") {
    const steps = checkSteps(runs.steps, "runs.steps", true);
    problems.push(...unknownKeys(runs, ["using", "steps"], "runs"), ...steps.problems);
    stepIds = steps.ids;
  } else if (runs.using === "docker" ? runs.image === undefined : runs.main === undefined) {
    problems.push(`runs: needs "${runs.using === "docker" ? "image" : "main"}"`);
  }
  if (document.outputs !== undefined) {
    problems.push(...checkOutputs(document.outputs, runs.using === "composite", stepIds));
  }
  return [...problems, ...checkExpressions(document, declared)];
}

function checkInputs(inputs: unknown, declared: Set<string>): string[] {
  if (!isMapping(inputs)) return ["inputs: must be a mapping"];
  const problems: string[] = [];
  for (const [name, input] of Object.entries(inputs)) {
    declared.add(name);
    const at = `inputs.${name}`;
    if (!isMapping(input)) {
      problems.push(`${at}: must be a mapping`);
      continue;
    }
    problems.push(...unknownKeys(input, ["description", "required", "default", "deprecationMessage"], at));
    if (typeof input.description !== "string" || input.description === "")
      problems.push(`${at}: needs a description`);
    if (input.required !== undefined && typeof input.required !== "boolean") {
      problems.push(`${at}: "required" must be true or false`);
    }
  }
  return problems;
}

function checkOutputs(outputs: unknown, composite: boolean, stepIds: readonly string[]): string[] {
  if (!isMapping(outputs)) return ["outputs: must be a mapping"];
  const problems: string[] = [];
  for (const [name, output] of Object.entries(outputs)) {
    const at = `outputs.${name}`;
    if (!isMapping(output)) {
      problems.push(`${at}: must be a mapping`);
      continue;
    }
    if (composite && typeof output.value !== "string")
      problems.push(`${at}: a composite action's output needs "value"`);
    for (const { text } of stringsIn(output.value, at)) {
      for (const match of text.matchAll(/\bsteps\.([A-Za-z_][A-Za-z0-9_-]*)/g)) {
        if (!stepIds.includes(match[1] ?? ""))
          problems.push(`${at}: refers to steps.${match[1]}, which has no such id`);
      }
    }
  }
  return problems;
}
