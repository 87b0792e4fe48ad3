import { isTerminal, needsPlanner } from "@longshot/core";
import { scopesOverlap } from "@longshot/planner";
import { claimantLimit, claimEvidence, conflictedFiles, hotClaims } from "./hot-files.js";
import type { RunState, TaskView } from "./run-state.js";
import { dependencyCancelPrefix } from "./run-verdict.js";

/** States of tasks that hold a scope lease (dispatched and not yet landed or given up). */
const inFlightStates: ReadonlySet<string> = new Set(["running", "review", "merging"]);
/** States in which a task may still change what its dependents can do. */
const activeStates: ReadonlySet<string> = new Set(["ready", ...inFlightStates]);

export type Decision =
  | { readonly kind: "promote"; readonly taskId: string; readonly reason: string }
  | { readonly kind: "dispatch"; readonly taskId: string }
  | { readonly kind: "cancel"; readonly taskId: string; readonly reason: string };

export interface SchedulerLimits {
  readonly maxWorkers: number;
  /** The planner is working: it may still retry a failed task, so its dependents wait. */
  readonly plannerBusy?: boolean;
  /**
   * Most tasks in flight expected to change the same hot file (see `hotClaims`); once the run's
   * finished work shows what share of the tasks that claim a file change it, that many more
   * claimants may run (`claimantLimit`). A ready task over a full file waits while other work
   * runs. Default a quarter of `maxWorkers`, at least 2.
   */
  readonly hotFileWidth?: number;
}

/**
 * The scheduler's whole decision, as a pure function of the run state: which pending tasks
 * became ready (every dependency landed), which tasks can never run (a dependency failed or
 * was cancelled and the planner is done), and which ready tasks start now — highest priority
 * first, then those that would collide least on hot files, then creation order; never two at
 * once whose scopes overlap (scope leases are held from dispatch until the task lands or gives
 * up), never more than `hotFileWidth` expected to change one hot file (counted from the share
 * of finished claimants that did), never more than the free worker slots.
 */
export function decide(state: RunState, limits: SchedulerLimits): Decision[] {
  const decisions: Decision[] = [];
  // A failed dependency may still be retried (by the planner or finalization) while anything
  // runs; its dependents are given up only once nothing can change it any more. This runs at every
  // wake of the run loop, so nothing is collected that it will not use: with every worker busy,
  // the ready tasks are not gathered at all.
  let active = false;
  let running = 0;
  for (const view of state.tasks.values()) {
    active ||= activeStates.has(view.task.state);
    if (view.task.state === "running") running += 1;
  }
  const quiet = limits.plannerBusy !== true && !active;
  let free = state.paused || state.draining ? 0 : limits.maxWorkers - running;
  const readyNow: TaskView[] = [];
  for (const id of state.order) {
    const view = state.tasks.get(id)!;
    if (view.task.state === "ready" && free > 0) readyNow.push(view);
    if (view.task.state !== "pending") continue;
    const { blocked, split, landed } = dependenciesOf(view, state);
    if (blocked !== undefined || split) {
      const final = blocked === undefined || !needsPlanner(blocked.task.state) || quiet;
      if (state.planComplete && final) {
        const name =
          blocked?.task.id ?? view.task.dependsOn.find((dep) => !state.tasks.has(dep)) ?? "a dependency";
        decisions.push({
          kind: "cancel",
          taskId: id,
          reason: `${dependencyCancelPrefix}${name} ${blocked ? blocked.task.state : "is missing or was split"}`,
        });
      }
      continue;
    }
    if (landed) {
      decisions.push({ kind: "promote", taskId: id, reason: "dependencies landed" });
      if (free > 0) readyNow.push(view);
    }
  }
  if (free <= 0) return decisions;

  const inFlight: TaskView[] = [];
  for (const view of state.tasks.values()) if (inFlightStates.has(view.task.state)) inFlight.push(view);
  const leased: (readonly string[])[] = inFlight.map((view) => view.task.scope);
  // Hot files (barrels, registries, manifests, files that conflicted already): how many tasks in
  // flight are expected to change each. Tasks that would collide there go after those that would
  // not, and no more than `width` at once expected to change it (the rest would only wait for
  // their turn in its lane). A name or a task's text is a guess: once finished tasks that claimed
  // a file show what share of them change it, the cap counts only that share (a cap on claimants
  // that never touch the file only idles workers); none changing it, and no conflict, lifts it.
  const conflicted = conflictedFiles(state);
  const evidence = claimEvidence(state);
  const hot = new Map<string, number>();
  for (const view of inFlight)
    for (const file of hotClaims(view, conflicted)) hot.set(file, (hot.get(file) ?? 0) + 1);
  const width = limits.hotFileWidth ?? Math.max(2, Math.ceil(limits.maxWorkers / 4));
  const candidates = readyNow
    .map((view, index) => {
      const claims = hotClaims(view, conflicted);
      const collisions = claims.reduce((sum, file) => sum + (hot.get(file) ?? 0), 0);
      return { view, index, claims, collisions };
    })
    .sort(
      (a, b) =>
        b.view.task.priority - a.view.task.priority || a.collisions - b.collisions || a.index - b.index,
    );
  for (const { view, claims } of candidates) {
    if (free === 0) break;
    const scope = leaseOf(view);
    if (scope.length > 0 && leased.some((held) => scopesOverlap(held, scope) !== undefined)) continue;
    if (claims.some((file) => (hot.get(file) ?? 0) >= claimantLimit(file, width, evidence, conflicted)))
      continue;
    decisions.push({ kind: "dispatch", taskId: view.task.id });
    leased.push(scope);
    for (const file of claims) hot.set(file, (hot.get(file) ?? 0) + 1);
    free -= 1;
  }
  return decisions;
}

/** What a pending task's dependencies say, read in one pass (the last task of a plan may have hundreds). */
interface DependencyStates {
  /**
   * The first dependency that is missing, needs the planner or was cancelled, if it exists: a
   * missing one first counts as none (only a split then gives the task up, naming it).
   */
  readonly blocked: TaskView | undefined;
  /** A dependency was split: its work is now other tasks'. */
  readonly split: boolean;
  /** Every dependency landed. */
  readonly landed: boolean;
}

function dependenciesOf(view: TaskView, state: RunState): DependencyStates {
  let blocked: TaskView | undefined;
  let found = false;
  let split = false;
  let landed = true;
  for (const id of view.task.dependsOn) {
    const dependency = state.tasks.get(id);
    const depState = dependency?.task.state;
    if (!found && (dependency === undefined || needsPlanner(depState!) || depState === "cancelled")) {
      found = true;
      blocked = dependency;
    }
    if (depState === "split") split = true;
    if (depState !== "landed") landed = false;
  }
  return { blocked, split, landed };
}

/**
 * The files a task holds while it runs: its declared scope, plus the files its work conflicted
 * on before, so a conflict-resolution attempt never races the task it conflicted with again.
 */
export function leaseOf(view: TaskView): readonly string[] {
  return view.conflictFiles.length === 0 ? view.task.scope : [...view.task.scope, ...view.conflictFiles];
}

/** Whether the run has nothing left to do: the plan is complete and every task is terminal. */
export function isSettled(state: RunState): boolean {
  if (!state.planComplete) return false;
  for (const view of state.tasks.values()) if (!isTerminal(view.task.state)) return false;
  return true;
}
