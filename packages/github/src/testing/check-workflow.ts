import {
  checkExpressions,
  checkSteps,
  isMapping,
  type Mapping,
  unknownKeys,
} from "./internal/actions-checks.js";

const topKeys = ["name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"];
const jobKeys = [
  "name",
  "needs",
  "runs-on",
  "permissions",
  "environment",
  "concurrency",
  "outputs",
  "env",
  "defaults",
  "if",
  "steps",
  "timeout-minutes",
  "strategy",
  "continue-on-error",
  "container",
  "services",
  "uses",
  "with",
  "secrets",
];
const events = [
  "push",
  "pull_request",
  "pull_request_target",
  "pull_request_review",
  "schedule",
  "workflow_dispatch",
  "workflow_call",
  "workflow_run",
  "repository_dispatch",
  "release",
  "issues",
  "issue_comment",
  "merge_group",
  "create",
  "delete",
];
const inputTypes = ["string", "boolean", "choice", "number", "environment"];
const cronField = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

/**
 * Problems that make GitHub reject or misrun a workflow file (parsed YAML): unknown keys,
 * missing `on`/`jobs`/`runs-on`/steps, unknown events, invalid cron schedules and dispatch
 * inputs, `needs` naming no job, steps without `run` or `uses`, references to undeclared
 * inputs or to later steps. An empty list means the file passes.
 */
export function checkWorkflow(document: unknown): string[] {
  if (!isMapping(document)) return ["the workflow must be a mapping"];
  const problems = unknownKeys(document, topKeys, "workflow");
  const declared = new Set<string>();
  if (document.on === undefined) problems.push('workflow: needs "on" (the events that start it)');
  else problems.push(...checkTriggers(document.on, declared));
  if (!isMapping(document.jobs) || Object.keys(document.jobs).length === 0) {
    problems.push('workflow: needs "jobs" with at least one job');
    return problems;
  }
  const jobIds = Object.keys(document.jobs);
  for (const [id, job] of Object.entries(document.jobs)) problems.push(...checkJob(id, job, jobIds));
  problems.push(...checkExpressions(document, declared));
  return problems;
}

function checkTriggers(on: unknown, declared: Set<string>): string[] {
  const names = typeof on === "string" ? [on] : Array.isArray(on) ? on : isMapping(on) ? Object.keys(on) : [];
  const problems = names
    .filter((name) => typeof name !== "string" || !events.includes(name))
    .map((name) => `on: unknown event "${String(name)}"`);
  if (names.length === 0) problems.push("on: names no event");
  if (!isMapping(on)) return problems;
  if (on.schedule !== undefined) problems.push(...checkSchedule(on.schedule));
  for (const event of ["workflow_dispatch", "workflow_call"]) {
    const trigger = on[event];
    if (isMapping(trigger) && trigger.inputs !== undefined)
      problems.push(...checkInputs(event, trigger.inputs, declared));
  }
  return problems;
}

function checkSchedule(schedule: unknown): string[] {
  if (!Array.isArray(schedule) || schedule.length === 0) return ["on.schedule: needs a list of { cron }"];
  return schedule.flatMap((entry, index) => {
    const cron = isMapping(entry) ? entry.cron : undefined;
    const fields = typeof cron === "string" ? cron.trim().split(/\s+/) : [];
    const valid = fields.length === 5 && fields.every((field) => cronField.test(field));
    return valid ? [] : [`on.schedule[${index}]: "${String(cron)}" is not a five-field cron expression`];
  });
}

function checkInputs(event: string, inputs: unknown, declared: Set<string>): string[] {
  if (!isMapping(inputs)) return [`on.${event}.inputs: must be a mapping`];
  const problems: string[] = [];
  for (const [name, input] of Object.entries(inputs)) {
    declared.add(name);
    const at = `on.${event}.inputs.${name}`;
    if (!isMapping(input)) {
      problems.push(`${at}: must be a mapping`);
      continue;
    }
    problems.push(...unknownKeys(input, ["description", "required", "default", "type", "options"], at));
    if (input.type !== undefined && !inputTypes.includes(String(input.type))) {
      problems.push(`${at}: type "${String(input.type)}" is not one of ${inputTypes.join(", ")}`);
    }
    if (input.type === "choice" && !Array.isArray(input.options))
      problems.push(`${at}: a choice needs options`);
  }
  return problems;
}

function checkJob(id: string, job: unknown, jobIds: readonly string[]): string[] {
  const at = `jobs.${id}`;
  if (!isMapping(job)) return [`${at}: must be a mapping`];
  const problems = unknownKeys(job, jobKeys, at);
  const needs = typeof job.needs === "string" ? [job.needs] : Array.isArray(job.needs) ? job.needs : [];
  for (const need of needs)
    if (!jobIds.includes(String(need))) problems.push(`${at}.needs: no job "${String(need)}"`);
  if (job.uses !== undefined) return problems;
  if (job["runs-on"] === undefined) problems.push(`${at}: needs "runs-on"`);
  problems.push(...checkSteps((job as Mapping).steps, `${at}.steps`, false).problems);
  return problems;
}
