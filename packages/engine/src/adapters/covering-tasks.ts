import type { TaskKind } from "@longshot/core";
import { scopesOverlap } from "@longshot/planner";
import type { Failure } from "@longshot/reconciler";
import type { RunState, TaskView } from "../run-state.js";

const plannedKinds: ReadonlySet<TaskKind> = new Set(["plan", "manual", "conflict"]);

/** The tasks whose work should make some files pass. */
export interface Coverage {
  readonly tasks: readonly TaskView[];
  /** True when tasks' scopes cover the files; false when nobody owns them (the whole plan does). */
  readonly owned: boolean;
}

/**
 * The tasks whose work should make these files pass: live tasks of the plan whose scope covers
 * one of them, or every live task of the plan when none does (a failure nobody owns waits for
 * the whole plan). Fix tasks, split parents and cancelled tasks are left out.
 */
export function coveringTasks(state: RunState, files: readonly string[]): Coverage {
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
  return covering.length > 0 ? { tasks: covering, owned: true } : { tasks: planned, owned: false };
}

/**
 * Whether the work that should make these files pass has landed: every covering task (see
 * `coveringTasks`). When no task owns them that is the whole plan, so the plan must also be
 * complete: while the planner still plans, a failure nobody owns yet is unfinished work.
 */
export function workLanded(state: RunState, files: readonly string[]): boolean {
  const coverage = coveringTasks(state, files);
  const landed = coverage.tasks.every((view) => view.task.state === "landed");
  return coverage.owned ? landed : landed && state.planComplete;
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
      .tasks.filter((view) => view.task.state !== "landed")
      .slice(0, 4)
      .map((view) => `${view.task.id} ${view.task.state}`);
    return `${failure.check}: ${what}${where}${open.length > 0 ? ` (waits for ${open.join(", ")})` : ""}`;
  });
  const more = failures.length > shown.length ? `; and ${failures.length - shown.length} more` : "";
  const noun = failures.length === 1 ? "failure waits" : "failures wait";
  return `${failures.length} ${noun} for planned work that has not landed, so no fix task: ${shown.join("; ")}${more}`;
}
