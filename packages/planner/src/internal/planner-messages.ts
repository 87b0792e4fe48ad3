import type { Task } from "@longshot/core";
import type { DeltaItem } from "../planner-state.js";
import type { TaskGraph } from "../task-graph.js";

const maxScopeShown = 6;
const maxDeltaItems = 80;
const maxTextChars = 400;

function clip(text: string, limit = maxTextChars): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 1)}…`;
}

function scopeText(scope: readonly string[]): string {
  const shown = scope.slice(0, maxScopeShown).join(", ");
  return scope.length > maxScopeShown ? `${shown}, +${scope.length - maxScopeShown} more` : shown;
}

/** One line per task: id, state, key, title, scope and dependencies. */
export function renderTaskLine(task: Task, keyOf: ReadonlyMap<string, string>): string {
  const key = keyOf.get(task.id);
  const after = task.dependsOn.length > 0 ? ` | after ${task.dependsOn.join(", ")}` : "";
  return `${task.id} [${task.state}]${key === undefined ? "" : ` (${key})`} ${clip(task.title, 120)} | scope ${scopeText(task.scope)}${after}`;
}

/** The graph as the model sees it: every task that is not split, one line each. */
export function renderGraph(graph: TaskGraph, keyOf: ReadonlyMap<string, string>): string {
  const lines = graph
    .all()
    .filter((task) => task.state !== "split")
    .map((task) => renderTaskLine(task, keyOf));
  return lines.length === 0 ? "(no tasks yet)" : lines.join("\n");
}

/** A task in full, for a subplanner. */
export function renderTask(task: Task): string {
  return [
    `${task.id}: ${task.title}`,
    "",
    task.description,
    "",
    `Acceptance:\n${task.acceptance.map((item) => `- ${item}`).join("\n") || "- (none given)"}`,
    `Scope: ${task.scope.join(", ")}`,
    `Depends on: ${task.dependsOn.join(", ") || "nothing"}`,
    `Priority ${task.priority}, size ${task.size}`,
  ].join("\n");
}

function renderDeltaItem(item: DeltaItem): string {
  switch (item.kind) {
    case "handoff": {
      const concerns =
        item.concerns.length > 0
          ? `; concerns: ${item.concerns.map((text) => clip(text, 200)).join(" / ")}`
          : "";
      const suggestions =
        item.suggestions.length > 0
          ? `; suggestions: ${item.suggestions.map((text) => clip(text, 200)).join(" / ")}`
          : "";
      return `- handoff ${item.taskId} ${item.status}: ${clip(item.summary)}${concerns}${suggestions}`;
    }
    case "failure":
      return `- failure ${item.taskId}: ${clip(item.reason)}`;
    case "merge":
      return `- merge ${item.taskId} ${item.outcome}${item.detail === "" ? "" : `: ${clip(item.detail)}`}`;
    case "health":
      return `- build ${item.green ? "green" : "red"}: ${clip(item.summary)}`;
  }
}

/** News since the planner last looked, newest last, bounded. */
export function renderDelta(inbox: readonly DeltaItem[]): string {
  if (inbox.length === 0) return "(nothing new)";
  const shown = inbox.slice(-maxDeltaItems).map(renderDeltaItem);
  const omitted = inbox.length - shown.length;
  return `${omitted > 0 ? `(${omitted} older items omitted)\n` : ""}${shown.join("\n")}`;
}

/** Task counts by state, only the non-zero ones. */
export function renderCounts(graph: TaskGraph): string {
  const parts = Object.entries(graph.counts())
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${state} ${count}`);
  return parts.length === 0 ? "no tasks" : parts.join(", ");
}

export interface BatchMessageInput {
  readonly context: string;
  readonly batch: number;
  readonly scratchpad: string;
  readonly graph: string;
  readonly delta: string;
  readonly tasksPerBatch: number;
}

/** The user message of one root-plan batch. */
export function batchMessage(input: BatchMessageInput): string {
  return [
    input.context,
    `## Your notes so far\n\n${input.scratchpad === "" ? "(none yet)" : input.scratchpad}`,
    `## Tasks planned so far\n\n${input.graph}`,
    `## News from the run\n\n${input.delta}`,
    `# Batch ${input.batch}\n\nPlan batch ${input.batch}: at most ${input.tasksPerBatch} new tasks that build on the tasks above.`,
  ].join("\n\n");
}
