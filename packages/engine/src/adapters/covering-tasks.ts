import type { TaskKind } from "@longshot/core";
import { scopesOverlap } from "@longshot/planner";
import type { Failure } from "@longshot/reconciler";
import type { RunState, TaskView } from "../run-state.js";

const plannedKinds: ReadonlySet<TaskKind> = new Set(["plan", "manual", "conflict"]);

/**
 * The tasks whose work should make these files pass: live tasks of the plan whose scope covers
 * one of them, or every live task of the plan when none does (a failure nobody owns waits for
 * the whole plan). Fix tasks, split parents and cancelled tasks are left out.
 */
export function coveringTasks(state: RunState, files: readonly string[]): TaskView[] {
  const planned = [...state.tasks.values()].filter(
    (view) =>
      plannedKinds.has(view.task.kind) && view.task.state !== "split" && view.task.state !== "cancelled",
  );
  const covering =
    files.length === 0
      ? []
      : planned.filter(
          (view) => view.task.scope.length > 0 && scopesOverlap(view.task.scope, files) !== undefined,
        );
  return covering.length > 0 ? covering : planned;
}

/**
 * "3 failing checks wait for work that has not landed: test \"median of one\" in
 * src/median.test.ts (t0004 pending); …" — what the planner hears instead of a fix task.
 */
export function unfinishedSummary(state: RunState, failures: readonly Failure[]): string {
  const shown = failures.slice(0, 5).map((failure) => {
    const what = failure.test === null ? (failure.code ?? failure.message) : `test "${failure.test}"`;
    const where = failure.file === null ? "" : ` in ${failure.file}`;
    const open = coveringTasks(state, failure.files)
      .filter((view) => view.task.state !== "landed")
      .slice(0, 4)
      .map((view) => `${view.task.id} ${view.task.state}`);
    return `${failure.check}: ${what}${where}${open.length > 0 ? ` (waits for ${open.join(", ")})` : ""}`;
  });
  const more = failures.length > shown.length ? `; and ${failures.length - shown.length} more` : "";
  const noun = failures.length === 1 ? "failure waits" : "failures wait";
  return `${failures.length} ${noun} for planned work that has not landed, so no fix task: ${shown.join("; ")}${more}`;
}
