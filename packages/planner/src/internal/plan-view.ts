import type { Task, TaskState } from "@longshot/core";
import type { PlannedAmendment, PlannedTask } from "../plan-schema.js";
import type { TaskGraph } from "../task-graph.js";

/** A task in the graph as it would be after a proposed change. */
export interface ViewNode {
  /** `key:<key>` for a proposed task, the task id otherwise. */
  readonly ref: string;
  /** How problems name the task: `"db-schema"` or `t0004`. */
  readonly label: string;
  readonly scope: readonly string[];
  readonly dependsOn: readonly string[];
  readonly state: TaskState;
  /** Added or changed by the proposal, so problems involving it are the proposal's. */
  readonly touched: boolean;
}

/** A proposed change to the graph, in the model's terms (keys and ids). */
export interface Proposal {
  readonly add: readonly PlannedTask[];
  readonly amend?: readonly PlannedAmendment[];
  readonly cancel?: readonly string[];
  readonly retry?: readonly string[];
  /** Ids of tasks a subplanner should split after the change. */
  readonly split?: readonly string[];
  /** The id of the task the added tasks replace (a subplanner's split). */
  readonly replacing?: string;
  readonly complete?: boolean;
}

export const keyRef = (key: string): string => `key:${key}`;
export const isKeyRef = (ref: string): boolean => ref.startsWith("key:");
export const keyOf = (ref: string): string => ref.slice("key:".length);

/** States in which a task still holds (or will hold) its scope. */
export const liveStates: ReadonlySet<TaskState> = new Set([
  "pending",
  "ready",
  "running",
  "review",
  "merging",
  "failed",
  // Its landing was undone: the work is not on the branch, so the request is not complete.
  "reverted",
]);

/** Resolves the model's dependency references to view refs, collecting problems. */
export class ReferenceResolver {
  readonly #graph: TaskGraph;
  readonly #earlierKeys: ReadonlyMap<string, string>;
  readonly #newKeys: ReadonlySet<string>;
  readonly #cancelled: ReadonlySet<string>;
  readonly #replacing: string | undefined;

  constructor(graph: TaskGraph, earlierKeys: ReadonlyMap<string, string>, proposal: Proposal) {
    this.#graph = graph;
    this.#earlierKeys = earlierKeys;
    this.#newKeys = new Set(proposal.add.map((task) => task.key));
    this.#cancelled = new Set(proposal.cancel ?? []);
    this.#replacing = proposal.replacing;
  }

  /** The refs `reference` stands for (a split task stands for its children), or a problem. */
  resolve(reference: string, owner: string): { refs: string[] } | { problem: string } {
    if (this.#newKeys.has(reference)) return { refs: [keyRef(reference)] };
    const id = this.#earlierKeys.get(reference) ?? reference;
    const task = this.#graph.get(id);
    if (task === undefined) {
      return {
        problem: `${owner} depends on "${reference}", which is neither a key in this reply nor an existing task id.`,
      };
    }
    if (id === this.#replacing) {
      return {
        problem: `${owner} depends on ${id}, the task being split; depend on its siblings or its dependencies instead.`,
      };
    }
    if (task.state === "cancelled" || this.#cancelled.has(id)) {
      return { problem: `${owner} depends on ${id}, which is cancelled.` };
    }
    if (task.state === "split") return { refs: this.#leavesOf(task) };
    return { refs: [id] };
  }

  #leavesOf(task: Task): string[] {
    const children = this.#graph.all().filter((candidate) => candidate.parentId === task.id);
    return children.flatMap((child) => (child.state === "split" ? this.#leavesOf(child) : [child.id]));
  }
}

/** Builds the graph as it would look after `proposal`, with every reference resolved. */
export function buildView(
  graph: TaskGraph,
  proposal: Proposal,
  resolver: ReferenceResolver,
  problems: string[],
): ViewNode[] {
  const resolveAll = (references: readonly string[], owner: string): string[] =>
    references.flatMap((reference) => {
      const resolved = resolver.resolve(reference, owner);
      if ("problem" in resolved) {
        problems.push(resolved.problem);
        return [];
      }
      return resolved.refs;
    });
  const amendments = new Map((proposal.amend ?? []).map((amendment) => [amendment.id, amendment]));
  const cancelled = new Set(proposal.cancel ?? []);
  const retried = new Set(proposal.retry ?? []);
  const parent = proposal.replacing === undefined ? undefined : graph.get(proposal.replacing);
  const childRefs = proposal.add.map((task) => keyRef(task.key));
  const nodes: ViewNode[] = [];
  for (const task of graph.all()) {
    if (task.id === parent?.id) continue;
    const amendment = amendments.get(task.id);
    let dependsOn: readonly string[] =
      amendment?.dependsOn != null ? resolveAll(amendment.dependsOn, task.id) : task.dependsOn;
    if (parent !== undefined && dependsOn.includes(parent.id)) {
      dependsOn = dependsOn.flatMap((id) => (id === parent.id ? childRefs : [id]));
    }
    const state: TaskState = cancelled.has(task.id)
      ? "cancelled"
      : retried.has(task.id)
        ? "ready"
        : task.state;
    nodes.push({
      ref: task.id,
      label: task.id,
      scope: amendment?.scope ?? task.scope,
      dependsOn,
      state,
      touched: amendment !== undefined || retried.has(task.id) || cancelled.has(task.id),
    });
  }
  for (const task of proposal.add) {
    const owner = `"${task.key}"`;
    const own = resolveAll(task.dependsOn, owner);
    nodes.push({
      ref: keyRef(task.key),
      label: owner,
      scope: task.scope,
      dependsOn: [...new Set([...own, ...(parent?.dependsOn ?? [])])],
      state: "pending",
      touched: true,
    });
  }
  return nodes;
}
