import { z } from "zod";
import { type EventType, eventBodySchema, eventSchemaVersion, eventTypes } from "./events.js";

/** One sentence per event type: what happened. A new event type needs its sentence here. */
export const eventDescriptions: Readonly<Record<EventType, string>> = {
  "run-start": "A new run began: its request, repository, base commit and branches.",
  "run-resume": "A stopped or crashed run was resumed by a new process.",
  "run-pause": "Dispatching paused (running attempts go on).",
  "run-unpause": "Dispatching resumed after a pause.",
  "run-drain": "The run stopped planning and dispatching; running work finishes (Ctrl+C, q, a budget).",
  "run-end": "The run ended: green, red, stopped or failed, with the integration head.",
  "plan-start": "The planner started a batch.",
  "plan-batch": "The planner added a batch of tasks (final when it says the plan is complete).",
  "plan-reject": "The planner's output was invalid and was rejected.",
  "plan-complete": "The planner declared the plan complete.",
  "task-add": "A task joined the graph (from the plan, a split, a fix, or by hand).",
  "task-update": "A pending task's fields changed (replanning).",
  "task-transition": "A task moved from one state to another, with the reason.",
  "attempt-start": "A worker started an attempt at a task (model, harness, sandbox).",
  "attempt-end": "An attempt ended: its outcome, commit and handoff.",
  "judge-verdict": "The judge accepted or rejected an attempt's work.",
  "model-call-start": "A model call was sent to an endpoint.",
  "model-call-retry":
    "A model call failed in a way worth retrying (429, 5xx, timeout, dropped stream) and will be tried again.",
  "model-call-end": "A model call ended: usage, cost, duration and retries.",
  "budget-refuse": "A call or the run was refused because a budget was reached.",
  "tool-call-start": "An agent called a tool.",
  "tool-call-end": "A tool call returned.",
  "agent-text": "An agent said something besides tool calls.",
  "sandbox-create": "A sandbox became ready for a task.",
  "sandbox-destroy": "A task's sandbox was torn down.",
  "merge-enqueue": "A finished attempt was offered to the merge queue.",
  "merge-land": "A task's work landed on the integration branch (noop: it was already there).",
  "merge-auto-resolved":
    "The merge queue resolved a conflict by a rule (union of additions, JSON manifest, regenerated lockfile).",
  "merge-conflict": "A task's work conflicted with the integration branch; it goes back to the task.",
  "conflict-resolution":
    "A conflict the queue sent back was answered: by the model on the conflicted hunks (checked in a sandbox), or by re-running the task; with the tokens it cost.",
  "merge-gate": "The merge gate checked candidate merges.",
  "merge-push": "The integration branch was pushed to the remote.",
  "merge-revert": "A landed commit was reverted (it broke the build).",
  "health-check": "The reconciler checked the integration branch's build health.",
  "fix-create": "The reconciler created a fix task for a failure fingerprint.",
  "critic-report": "A critic reported: findings at or above the threshold became tasks, the rest notes.",
  "target-update": "The target branch was fast-forwarded, or left with the command to land it.",
  log: "A message from the run (warnings, errors, notes).",
};

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: unknown;
};

function typeText(schema: JsonSchema): string {
  if (schema.anyOf) return schema.anyOf.map(typeText).join(" \\| ");
  if (schema.enum) return schema.enum.map((value) => `\`${JSON.stringify(value)}\``).join(" \\| ");
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? "any"];
  return types
    .map((type) => {
      if (type === "array") return `${schema.items ? typeText(schema.items) : "any"}[]`;
      if (type === "object" && schema.properties) return `{ ${Object.keys(schema.properties).join(", ")} }`;
      if (type === "object") return "object";
      return type;
    })
    .join(" \\| ");
}

/**
 * `docs/events.md`: the NDJSON event stream's schema, one table per event type, generated from
 * the zod union in events.ts (`node scripts/gen-events-doc.mjs`; a test keeps them equal).
 */
export function renderEventsDoc(): string {
  const lines = [
    "# Event stream",
    "",
    "<!-- Generated from packages/core/src/events.ts and events-doc.ts by `node scripts/gen-events-doc.mjs`; do not edit. -->",
    "",
    `Schema version: **${eventSchemaVersion}**.`,
    "",
    "Every step of a run is an event, appended to the run's log before it is acted on. `longshot --json`",
    "(and `longshot replay <run> --json`) prints them as NDJSON on stdout, one event per line, each with",
    `\`"schema": ${eventSchemaVersion}\` beside the fields below. The version changes only when a field is removed or`,
    "changes meaning; new event types and new fields may appear at any time, so skip what you do not know.",
    "",
    "Every event has:",
    "",
    "| field | type | meaning |",
    "|---|---|---|",
    "| `type` | string | the event type (the headings below) |",
    "| `runId` | string | the run |",
    "| `seq` | integer | position in the run's log (increasing, no gaps) |",
    "| `at` | number | when it was recorded, milliseconds since 1970 (UTC) |",
    "",
    `Event types: ${eventTypes.map((type) => `[\`${type}\`](#${type})`).join(", ")}.`,
  ];
  for (const type of eventTypes) {
    const description = eventDescriptions[type];
    const schema = z.toJSONSchema(eventBodySchema(type), {
      io: "output",
      unrepresentable: "any",
    }) as JsonSchema;
    lines.push("", `## ${type}`, "", description, "");
    const properties = Object.entries(schema.properties ?? {});
    if (properties.length === 0) {
      lines.push("No fields besides the common ones.");
      continue;
    }
    lines.push("| field | type | always present |", "|---|---|---|");
    const required = new Set(schema.required ?? []);
    for (const [name, property] of properties) {
      lines.push(`| \`${name}\` | ${typeText(property)} | ${required.has(name) ? "yes" : "no"} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}
