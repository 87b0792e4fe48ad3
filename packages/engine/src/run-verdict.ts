import { needsPlanner, type TaskKind } from "@longshot/core";
import type { RunState, TaskView } from "./run-state.js";

/** Why a task the plan needs is not on the integration branch. */
export type ShortfallKind =
  /** Attempts exhausted and not retried. */
  | "failed"
  /** Its landing was undone by the reconciler and it did not land again. */
  | "reverted"
  /** It failed (or was reverted) and was then cancelled: the work was given up. */
  | "given-up"
  /** Cancelled because a task it depends on did not land. */
  | "blocked"
  /** Not finished when the run stopped (a budget, a drain). */
  | "unfinished";

export interface Shortfall {
  readonly taskId: string;
  readonly kind: ShortfallKind;
}

/** Which of a run's tasks keep it from being complete, and which were let go by decision. */
export interface RequiredWork {
  /** Tasks the plan needs, landed or not, in creation order. */
  readonly required: readonly string[];
  /** Tasks the plan needs that did not land, in creation order. */
  readonly shortfalls: readonly Shortfall[];
  /** Tasks the user cancelled (and tasks cancelled only because of that); not required. */
  readonly cancelledByUser: readonly string[];
}

/** How the reason of a run that a budget stopped begins (such a run ends red and can be resumed). */
export const budgetStopPrefix = "stopped by a budget: ";

/** The reason the engine records when a user cancels a task (dashboard, MCP, a command). */
export const userCancelReason = "cancelled by user";

/** Prefix of the reason the scheduler gives a task it cancels because a dependency cannot land. */
export const dependencyCancelPrefix = "dependency ";

/** Kinds of task the plan requires; fix tasks serve the checks, which the final sweep judges. */
const requiredKinds: ReadonlySet<TaskKind> = new Set(["plan", "manual", "conflict"]);

type Standing = "done" | "not-required" | "user" | ShortfallKind;

/**
 * The verdict contract's task half, as a pure function of the run state: a task the plan needs
 * counts only once it has landed. A failed or reverted task, a task given up after failing, a
 * task cancelled because a dependency of it could not land, and (when the run stops early) a
 * task still open are shortfalls. Tasks the planner dropped before they failed, split parents,
 * fix tasks and tasks the user cancelled are not.
 */
export function requiredWork(state: RunState): RequiredWork {
  const memo = new Map<string, Standing>();
  const standing = (view: TaskView, seen: ReadonlySet<string>): Standing => {
    const known = memo.get(view.task.id);
    if (known !== undefined) return known;
    const result = classify(view, seen, (id, next) => {
      const dependency = state.tasks.get(id);
      return dependency === undefined ? "blocked" : standing(dependency, next);
    });
    memo.set(view.task.id, result);
    return result;
  };
  const required: string[] = [];
  const shortfalls: Shortfall[] = [];
  const cancelledByUser: string[] = [];
  for (const id of state.order) {
    const view = state.tasks.get(id)!;
    const result = standing(view, new Set());
    if (!requiredKinds.has(view.task.kind)) continue;
    if (result === "user") cancelledByUser.push(id);
    if (result === "user" || result === "not-required") continue;
    required.push(id);
    if (result !== "done") shortfalls.push({ taskId: id, kind: result });
  }
  return { required, shortfalls, cancelledByUser };
}

function classify(
  view: TaskView,
  seen: ReadonlySet<string>,
  dependencyStanding: (id: string, seen: ReadonlySet<string>) => Standing,
): Standing {
  const { task } = view;
  switch (task.state) {
    case "landed":
      return "done";
    case "split":
      return "not-required";
    case "failed":
      return "failed";
    case "reverted":
      return "reverted";
    case "cancelled": {
      if (view.cancelledFrom === "failed" || view.cancelledFrom === "reverted") return "given-up";
      if (view.lastReason === userCancelReason) return "user";
      if (!view.lastReason.startsWith(dependencyCancelPrefix)) return "not-required";
      // Cancelled for a dependency: the user's decision when that is where it started.
      const next = new Set([...seen, task.id]);
      const causes = task.dependsOn
        .filter((id) => !next.has(id))
        .map((id) => dependencyStanding(id, next))
        .filter((cause) => cause !== "done");
      if (causes.length > 0 && causes.every((cause) => cause === "user")) return "user";
      return "blocked";
    }
    default:
      return "unfinished";
  }
}

const kindText: Readonly<Record<ShortfallKind, string>> = {
  failed: "failed",
  reverted: "reverted",
  "given-up": "given up after failing",
  blocked: "blocked by a dependency",
  unfinished: "unfinished",
};

/**
 * One sentence naming the shortfalls, grouped by kind (at most ten task ids each), such as
 * "5 of 6 required tasks did not land (failed: t0002; given up after failing: t0003, t0004)".
 */
export function describeShortfalls(work: RequiredWork): string | null {
  if (work.shortfalls.length === 0) return null;
  const required = work.required.length;
  const groups = new Map<ShortfallKind, string[]>();
  for (const shortfall of work.shortfalls) {
    groups.set(shortfall.kind, [...(groups.get(shortfall.kind) ?? []), shortfall.taskId]);
  }
  const parts = [...groups].map(([kind, ids]) => {
    const shown = ids.slice(0, 10).join(", ");
    return `${kindText[kind]}: ${shown}${ids.length > 10 ? `, +${ids.length - 10} more` : ""}`;
  });
  const noun = required === 1 ? "required task" : "required tasks";
  return `${work.shortfalls.length} of ${required} ${noun} did not land (${parts.join("; ")})`;
}

/** "2 tasks cancelled by the user: t0003, t0004", or null. */
export function describeUserCancellations(work: RequiredWork): string | null {
  const ids = work.cancelledByUser;
  if (ids.length === 0) return null;
  const shown = ids.slice(0, 10).join(", ");
  return `${ids.length} task${ids.length === 1 ? "" : "s"} cancelled by the user: ${shown}${ids.length > 10 ? ", …" : ""}`;
}

/** How a run ends, from its state and the final checks. */
export interface EndOfRun {
  readonly status: "green" | "red";
  readonly reason: string;
  /** The commit a green run vouches for; the integration head otherwise. */
  readonly head: string;
}

/**
 * The verdict contract: green only when every task the plan requires landed and the final checks
 * passed (`final` null means the run has no checks to run); red names every shortfall, the
 * failing checks and, for a budget stop (`budgetStop`), the budget. Tasks the user cancelled are
 * named either way.
 */
export function endOfRun(
  state: RunState,
  final: { readonly green: boolean; readonly reason: string; readonly commit: string | null } | null,
  budgetStop: string | null = null,
): EndOfRun {
  const work = requiredWork(state);
  const shortfall = describeShortfalls(work);
  const cancelled = describeUserCancellations(work);
  const withCancelled = (text: string): string => (cancelled === null ? text : `${text}; ${cancelled}`);
  if (budgetStop !== null) {
    const budget = budgetStop.replace(/\.$/, "");
    const parts = [`${budgetStopPrefix}${budget}`, shortfall ?? "every required task so far landed"];
    return { status: "red", reason: withCancelled(parts.join("; ")), head: state.head };
  }
  if (final !== null && !final.green) {
    const parts = shortfall === null ? [final.reason] : [final.reason, shortfall];
    return { status: "red", reason: withCancelled(parts.join("; ")), head: state.head };
  }
  if (shortfall !== null) {
    const checks = final === null ? "" : "the checks pass but ";
    return { status: "red", reason: withCancelled(`${checks}${shortfall}`), head: state.head };
  }
  const reason = final === null ? "every required task landed (no health checks configured)" : final.reason;
  return { status: "green", reason: withCancelled(reason), head: final?.commit ?? state.head };
}

/**
 * Why the plan is complete, when the planner did not say so itself: its completeness check
 * passed, or it stopped changing the plan and left failed or reverted tasks as they are.
 */
export function planCompleteReason(state: RunState): string {
  const left = [...state.tasks.values()]
    .filter((view) => needsPlanner(view.task.state))
    .map((view) => `${view.task.id} ${view.task.state}`);
  if (left.length === 0) return "the planner's completeness check passed";
  return `the planner made no further changes, leaving ${left.slice(0, 10).join(", ")}${left.length > 10 ? ", …" : ""}`;
}
