import type { TaskState } from "@longshot/core";
import {
  buildView,
  isKeyRef,
  keyOf,
  keyRef,
  liveStates,
  type Proposal,
  ReferenceResolver,
  type ViewNode,
} from "./internal/plan-view.js";
import type { PlannedAmendment, PlannedTask } from "./plan-schema.js";
import { scopesOverlap } from "./scopes-overlap.js";
import type { KeyedTaskSpec, TaskAmendment, TaskGraph } from "./task-graph.js";

export type { Proposal } from "./internal/plan-view.js";

/** A proposal checked against the graph, with references resolved, ready to apply. */
export interface ResolvedProposal {
  /** New tasks; `dependsOn` holds keys of other new tasks or existing task ids. */
  readonly add: readonly KeyedTaskSpec[];
  /** Amendments; a `dependsOn` entry may be the key of a new task. */
  readonly amend: readonly { readonly id: string; readonly changes: TaskAmendment }[];
  readonly cancel: readonly string[];
  readonly retry: readonly string[];
  readonly split: readonly string[];
  readonly replacing: string | undefined;
}

/** The verdict on a proposal: resolved and ready to apply, or the exact problems. */
export type ValidationResult =
  | { readonly ok: true; readonly resolved: ResolvedProposal }
  | { readonly ok: false; readonly problems: readonly string[] };

export interface ValidationOptions {
  /** Keys of earlier batches and the ids they became, so later batches may use them. */
  readonly earlierKeys?: ReadonlyMap<string, string>;
  /** Most tasks one proposal may add. */
  readonly maxTasks?: number;
  /** Fewest tasks a proposal must add (2 for a split). */
  readonly minTasks?: number;
}

const amendable: ReadonlySet<TaskState> = new Set(["pending", "ready", "failed", "reverted"]);
const idLike = /^t\d+$/;

/**
 * Checks a proposed change to the graph, purely: duplicate or id-like keys, empty scopes,
 * unknown or cancelled dependencies, changes to tasks that already started, cancellations that
 * strand dependents, dependency cycles, scopes that overlap between tasks where neither depends
 * on the other, and a completion claim while work is open. Only problems that involve a task
 * the proposal adds or changes are reported.
 */
export function validatePlan(
  graph: TaskGraph,
  proposal: Proposal,
  options: ValidationOptions = {},
): ValidationResult {
  const problems: string[] = [];
  const earlierKeys = options.earlierKeys ?? new Map<string, string>();
  checkShape(graph, proposal, options, earlierKeys, problems);
  checkTargets(graph, proposal, problems);
  const view = buildView(graph, proposal, new ReferenceResolver(graph, earlierKeys, proposal), problems);
  const nodes = new Map(view.map((node) => [node.ref, node]));
  checkStranded(view, nodes, problems);
  const cycles = findCycles(view, nodes);
  for (const cycle of cycles) problems.push(`Dependency cycle: ${cycle.map(labelOf(nodes)).join(" -> ")}.`);
  if (cycles.length === 0) checkOverlaps(view, nodes, problems);
  checkCompletion(view, proposal, problems);
  if (problems.length > 0) return { ok: false, problems: [...new Set(problems)] };
  return { ok: true, resolved: resolveProposal(proposal, nodes) };
}

function checkShape(
  graph: TaskGraph,
  proposal: Proposal,
  options: ValidationOptions,
  earlierKeys: ReadonlyMap<string, string>,
  problems: string[],
): void {
  if (options.maxTasks !== undefined && proposal.add.length > options.maxTasks) {
    problems.push(
      `The reply adds ${count(proposal.add.length, "task", "tasks")}; at most ${options.maxTasks} are allowed.`,
    );
  }
  if (options.minTasks !== undefined && proposal.add.length < options.minTasks) {
    problems.push(
      `The reply adds ${count(proposal.add.length, "task", "tasks")}; at least ${options.minTasks} are needed.`,
    );
  }
  const seen = new Set<string>();
  for (const task of proposal.add) {
    if (seen.has(task.key))
      problems.push(`Key "${task.key}" is used by more than one task; keys must be unique.`);
    seen.add(task.key);
    if (idLike.test(task.key) || graph.has(task.key)) {
      problems.push(`Key "${task.key}" looks like a task id; choose a descriptive key such as api-routes.`);
    } else if (earlierKeys.has(task.key)) {
      problems.push(
        `Key "${task.key}" already names ${earlierKeys.get(task.key)} from an earlier batch; choose a new key.`,
      );
    }
    if (nonEmpty(task.scope).length === 0)
      problems.push(`Task "${task.key}" has an empty scope; list the files or globs it may touch.`);
  }
  for (const amendment of proposal.amend ?? []) {
    if (amendment.scope !== null && nonEmpty(amendment.scope).length === 0) {
      problems.push(
        `The amendment of ${amendment.id} empties its scope; list the files or globs it may touch.`,
      );
    }
  }
}

function checkTargets(graph: TaskGraph, proposal: Proposal, problems: string[]): void {
  const check = (id: string, verb: string, allowed: ReadonlySet<TaskState>): void => {
    const task = graph.get(id);
    if (task === undefined) problems.push(`Cannot ${verb} ${id}: there is no such task.`);
    else if (!allowed.has(task.state)) problems.push(`Cannot ${verb} ${id}: it is ${task.state}.`);
  };
  for (const amendment of proposal.amend ?? []) check(amendment.id, "amend", amendable);
  for (const id of proposal.cancel ?? []) check(id, "cancel", amendable);
  for (const id of proposal.retry ?? []) check(id, "retry", new Set(["failed", "reverted"]));
  const cancelled = new Set(proposal.cancel ?? []);
  for (const id of proposal.split ?? []) {
    check(id, "split", amendable);
    if (cancelled.has(id)) problems.push(`Cannot both cancel and split ${id}.`);
    if (proposal.retry?.includes(id) === true) problems.push(`Cannot both retry and split ${id}.`);
  }
}

function checkStranded(
  view: readonly ViewNode[],
  nodes: ReadonlyMap<string, ViewNode>,
  problems: string[],
): void {
  for (const node of view) {
    if (!liveStates.has(node.state)) continue;
    for (const dependency of node.dependsOn) {
      if (nodes.get(dependency)?.state !== "cancelled") continue;
      if (nodes.get(dependency)?.touched === false && !node.touched) continue;
      problems.push(
        `${node.label} depends on ${dependency}, which you cancel: cancel ${node.label} as well or amend its dependsOn.`,
      );
    }
  }
}

/** Cycles among live tasks that pass through a task the proposal adds or changes. */
function findCycles(view: readonly ViewNode[], nodes: ReadonlyMap<string, ViewNode>): string[][] {
  const cycles: string[][] = [];
  const reported = new Set<string>();
  const done = new Set<string>();
  const visit = (ref: string, path: string[]): void => {
    const at = path.indexOf(ref);
    if (at !== -1) {
      const cycle = [...path.slice(at), ref];
      const members = [...new Set(cycle)].sort().join(",");
      if (!reported.has(members)) {
        reported.add(members);
        cycles.push(cycle);
      }
      return;
    }
    if (done.has(ref)) return;
    const node = nodes.get(ref);
    if (node === undefined || !liveStates.has(node.state)) return;
    for (const dependency of node.dependsOn) visit(dependency, [...path, ref]);
    done.add(ref);
  };
  for (const node of view) if (node.touched) visit(node.ref, []);
  return cycles;
}

function checkOverlaps(
  view: readonly ViewNode[],
  nodes: ReadonlyMap<string, ViewNode>,
  problems: string[],
): void {
  const live = view.filter((node) => liveStates.has(node.state));
  const position = new Map(live.map((node, index) => [node.ref, index]));
  const ancestors = ancestorsOf(nodes);
  for (const left of live) {
    if (!left.touched) continue;
    const leftPosition = position.get(left.ref) ?? 0;
    for (const right of live) {
      // Each pair once: a touched pair is visited from its earlier member only.
      if (right === left || (right.touched && (position.get(right.ref) ?? 0) < leftPosition)) continue;
      const overlap = scopesOverlap(left.scope, right.scope);
      if (overlap === undefined) continue;
      if (ancestors(left.ref).has(right.ref) || ancestors(right.ref).has(left.ref)) continue;
      const [first, second] = (position.get(right.ref) ?? 0) < leftPosition ? [right, left] : [left, right];
      const where = overlap.left === overlap.right ? overlap.left : `${overlap.left} and ${overlap.right}`;
      problems.push(
        `${first.label} and ${second.label} both touch ${where} but neither depends on the other: add a dependency or separate their scopes.`,
      );
    }
  }
}

function ancestorsOf(nodes: ReadonlyMap<string, ViewNode>): (ref: string) => ReadonlySet<string> {
  const memo = new Map<string, Set<string>>();
  const compute = (ref: string): Set<string> => {
    const known = memo.get(ref);
    if (known !== undefined) return known;
    const result = new Set<string>();
    memo.set(ref, result);
    for (const dependency of nodes.get(ref)?.dependsOn ?? []) {
      result.add(dependency);
      for (const ancestor of compute(dependency)) result.add(ancestor);
    }
    return result;
  };
  return compute;
}

function checkCompletion(view: readonly ViewNode[], proposal: Proposal, problems: string[]): void {
  if (proposal.complete !== true) return;
  const open = view.filter((node) => liveStates.has(node.state));
  if (open.length === 0) return;
  const named = open.slice(0, 10).map((node) => node.label);
  problems.push(
    `You declared the request complete, but ${count(open.length, "task is", "tasks are")} still open (${named.join(", ")}${open.length > 10 ? ", …" : ""}): finish or cancel them, or set complete to false.`,
  );
}

function resolveProposal(proposal: Proposal, nodes: ReadonlyMap<string, ViewNode>): ResolvedProposal {
  const external = (ref: string): string => (isKeyRef(ref) ? keyOf(ref) : ref);
  // A split's children keep the parent's dependencies in the view; the graph adds them again
  // (deduplicated) when it replaces the parent, so passing them on is harmless.
  const dependenciesOf = (task: PlannedTask): string[] =>
    (nodes.get(keyRef(task.key))?.dependsOn ?? []).map(external);
  return {
    add: proposal.add.map((task) => ({
      key: task.key,
      spec: {
        title: task.title,
        description: task.description,
        acceptance: task.acceptance,
        scope: nonEmpty(task.scope),
        dependsOn: dependenciesOf(task),
        priority: task.priority,
        size: task.size,
        composite: task.composite,
      },
    })),
    amend: (proposal.amend ?? []).map((amendment) => ({
      id: amendment.id,
      changes: amendmentChanges(amendment, nodes.get(amendment.id)?.dependsOn.map(external)),
    })),
    cancel: [...(proposal.cancel ?? [])],
    retry: [...(proposal.retry ?? [])],
    split: [...new Set(proposal.split ?? [])],
    replacing: proposal.replacing,
  };
}

function amendmentChanges(amendment: PlannedAmendment, dependsOn: string[] | undefined): TaskAmendment {
  const changes: TaskAmendment = {};
  if (amendment.title !== null) changes.title = amendment.title;
  if (amendment.description !== null) changes.description = amendment.description;
  if (amendment.acceptance !== null) changes.acceptance = amendment.acceptance;
  if (amendment.scope !== null) changes.scope = nonEmpty(amendment.scope);
  if (amendment.priority !== null) changes.priority = amendment.priority;
  if (amendment.dependsOn !== null && dependsOn !== undefined) changes.dependsOn = dependsOn;
  return changes;
}

function nonEmpty(scope: readonly string[]): string[] {
  return scope.map((entry) => entry.trim()).filter((entry) => entry.length > 0);
}

function labelOf(nodes: ReadonlyMap<string, ViewNode>): (ref: string) => string {
  return (ref) => nodes.get(ref)?.label ?? ref;
}

function count(amount: number, singular: string, plural: string): string {
  return `${amount} ${amount === 1 ? singular : plural}`;
}
