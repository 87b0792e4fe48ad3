import {
  type Clock,
  checkTransition,
  InternalError,
  type NewEvent,
  type Task,
  type TaskKind,
  TaskSchema,
  type TaskSpec,
  TaskSpecSchema,
  type TaskState,
  taskBranch,
  taskIdFor,
  taskStates,
} from "@longshot/core";
import { z } from "zod";

/** What a new task is made of; defaults of `TaskSpecSchema` fill anything left out. */
export type TaskSpecInput = z.input<typeof TaskSpecSchema>;

/** A task spec named by a caller-chosen key, so siblings can depend on each other before ids exist. */
export interface KeyedTaskSpec {
  readonly key: string;
  readonly spec: TaskSpecInput;
}

/** Where a new task comes from. */
export interface TaskOrigin {
  readonly kind?: TaskKind;
  readonly parentId?: string | null;
  readonly fingerprint?: string | null;
}

/** Fields of a task that may be amended while it has not started. */
export type TaskAmendment = Partial<
  Pick<
    Task,
    "title" | "description" | "acceptance" | "scope" | "dependsOn" | "priority" | "context" | "requires"
  >
>;

/** A change to the graph together with the events that record it, in order. */
export interface GraphChange<T> {
  readonly value: T;
  readonly events: readonly NewEvent[];
}

/** The outcome of `transition`: the moved task and its event, or why the move is illegal. */
export type TransitionResult =
  | { readonly ok: true; readonly task: Task; readonly event: NewEvent }
  | { readonly ok: false; readonly reason: string };

export const TaskGraphSnapshotSchema = z.object({
  sequence: z.number().int().min(0),
  tasks: z.array(TaskSchema),
});
/** Everything needed to rebuild a graph: the id sequence and every task, in creation order. */
export type TaskGraphSnapshot = z.infer<typeof TaskGraphSnapshotSchema>;

export interface TaskGraphOptions {
  readonly runId: string;
  /** Prefix of task branches, such as `longshot/`. */
  readonly branchPrefix: string;
  readonly clock: Clock;
}

/** States from which a task may be amended or cancelled by the planner. */
const amendableStates: readonly TaskState[] = ["pending", "ready", "failed"];

/**
 * The task dependency graph of one run: pure, in memory, and synchronous, so the planner can
 * grow it while the engine schedules from it. Ids (`t0001`, …) and branches are assigned here,
 * never by a model. Every mutation returns the events that record it; the caller appends them.
 */
export class TaskGraph {
  readonly #options: TaskGraphOptions;
  readonly #tasks = new Map<string, Task>();
  readonly #order = new Map<string, number>();
  #sequence: number;

  constructor(options: TaskGraphOptions, snapshot?: TaskGraphSnapshot) {
    this.#options = options;
    this.#sequence = snapshot?.sequence ?? 0;
    for (const task of snapshot?.tasks ?? []) this.#insert(task);
  }

  /** The task with this id, if any. */
  get(id: string): Task | undefined {
    return this.#tasks.get(id);
  }

  /** The task with this id; throws an InternalError when there is none (a bug in the caller). */
  require(id: string): Task {
    const task = this.#tasks.get(id);
    if (task === undefined)
      throw new InternalError(`No task ${id} in the graph.`, { fields: { taskId: id } });
    return task;
  }

  has(id: string): boolean {
    return this.#tasks.has(id);
  }

  /** Every task in creation order. */
  all(): readonly Task[] {
    return [...this.#tasks.values()];
  }

  get size(): number {
    return this.#tasks.size;
  }

  /** The id the next added task will get. */
  peekNextId(): string {
    return taskIdFor(this.#sequence + 1);
  }

  /**
   * Tasks that can be dispatched now: `pending` or `ready` tasks whose dependencies have all
   * landed, highest priority first, then in creation order.
   */
  readyTasks(): readonly Task[] {
    const ready: Task[] = [];
    for (const task of this.#tasks.values()) {
      if (task.state !== "pending" && task.state !== "ready") continue;
      if (task.dependsOn.every((dependency) => this.#tasks.get(dependency)?.state === "landed"))
        ready.push(task);
    }
    return ready.sort(
      (left, right) => right.priority - left.priority || this.#orderOf(left.id) - this.#orderOf(right.id),
    );
  }

  /** Tasks that depend directly on `id`, in creation order. */
  dependentsOf(id: string): readonly Task[] {
    return this.all().filter((task) => task.dependsOn.includes(id));
  }

  /** How many tasks are in each state (every state present, zero when empty). */
  counts(): Record<TaskState, number> {
    const counts = Object.fromEntries(taskStates.map((state) => [state, 0])) as Record<TaskState, number>;
    for (const task of this.#tasks.values()) counts[task.state]++;
    return counts;
  }

  /**
   * Adds one task. Its dependencies must already be in the graph (throws an InternalError
   * otherwise: validation belongs before this call).
   */
  add(spec: TaskSpecInput, origin: TaskOrigin = {}): GraphChange<Task> {
    const change = this.addAll([{ key: "\u0000self", spec }], origin);
    const task = change.value[0];
    if (task === undefined) throw new InternalError("addAll returned no task.");
    return { value: task, events: change.events };
  }

  /**
   * Adds several tasks at once. A dependency names an existing task id or the key of another
   * entry; ids are assigned in entry order. Throws an InternalError on an unknown dependency
   * or a cycle, leaving the graph unchanged.
   */
  addAll(entries: readonly KeyedTaskSpec[], origin: TaskOrigin = {}): GraphChange<Task[]> {
    const ids = new Map<string, string>();
    entries.forEach((entry, index) => {
      ids.set(entry.key, taskIdFor(this.#sequence + index + 1));
    });
    const now = this.#options.clock.now();
    const tasks = entries.map((entry) => {
      const spec = TaskSpecSchema.parse(entry.spec);
      const id = ids.get(entry.key) ?? "";
      const dependsOn = unique(spec.dependsOn.map((reference) => ids.get(reference) ?? reference));
      return this.#build(id, { ...spec, dependsOn }, origin, now);
    });
    this.#assertInsertable(tasks);
    this.#sequence += entries.length;
    for (const task of tasks) this.#insert(task);
    return { value: tasks, events: tasks.map((task) => ({ type: "task-add", task }) as const) };
  }

  /**
   * Moves a task to another state when core's transition table allows it. Returns the reason
   * instead when it does not; the graph is unchanged then.
   */
  transition(id: string, to: TaskState, reason: string): TransitionResult {
    const task = this.#tasks.get(id);
    if (task === undefined) return { ok: false, reason: `there is no task ${id}` };
    const check = checkTransition(task.state, to);
    if (!check.ok) return { ok: false, reason: `${id}: ${check.reason}` };
    const moved: Task = { ...task, state: to };
    this.#tasks.set(id, moved);
    return {
      ok: true,
      task: moved,
      event: { type: "task-transition", taskId: id, from: task.state, to, reason },
    };
  }

  /** Counts one more attempt of a task (the engine calls this when an attempt starts). */
  recordAttempt(id: string): Task {
    const current = this.require(id);
    const task = { ...current, attempts: current.attempts + 1 };
    this.#tasks.set(id, task);
    return task;
  }

  /**
   * Changes a task that has not started (`pending`, `ready` or `failed`). Throws an
   * InternalError for another state, an unknown dependency, or a cycle.
   */
  amend(id: string, changes: TaskAmendment): GraphChange<Task> {
    const task = this.require(id);
    if (!amendableStates.includes(task.state)) {
      throw new InternalError(`Task ${id} is ${task.state} and can no longer be amended.`, {
        fields: { taskId: id },
      });
    }
    const amended: Task = { ...task, ...changes };
    if (changes.dependsOn !== undefined) amended.dependsOn = unique(changes.dependsOn);
    this.#assertInsertable([amended]);
    this.#tasks.set(id, amended);
    return { value: amended, events: [{ type: "task-update", taskId: id, changes }] };
  }

  /**
   * Splits a task: the children are added (each also depending on what the parent depended
   * on), the parent becomes `split`, and every task that depended on the parent now depends on
   * all of its children. Children may depend on each other by key or on existing task ids.
   * Throws an InternalError when the parent cannot be split from its state.
   */
  replace(parentId: string, children: readonly KeyedTaskSpec[]): GraphChange<Task[]> {
    const parent = this.require(parentId);
    const check = checkTransition(parent.state, "split");
    if (!check.ok) throw new InternalError(`Cannot split ${parentId}: ${check.reason}.`);
    if (children.length === 0) throw new InternalError(`Cannot split ${parentId} into no tasks.`);
    const inherited = children.map((child) => ({
      key: child.key,
      spec: { ...child.spec, dependsOn: [...(child.spec.dependsOn ?? []), ...parent.dependsOn] },
    }));
    const added = this.addAll(inherited, {
      kind: parent.kind,
      parentId: parent.id,
      fingerprint: parent.fingerprint,
    });
    const childIds = added.value.map((task) => task.id);
    const split = this.transition(parentId, "split", `split into ${childIds.join(", ")}`);
    if (!split.ok) throw new InternalError(split.reason);
    const events: NewEvent[] = [...added.events, split.event];
    for (const dependent of this.dependentsOf(parentId)) {
      const dependsOn = unique(dependent.dependsOn.flatMap((id) => (id === parentId ? childIds : [id])));
      this.#tasks.set(dependent.id, { ...dependent, dependsOn });
      events.push({ type: "task-update", taskId: dependent.id, changes: { dependsOn } });
    }
    return { value: added.value, events };
  }

  /** A serializable copy of the graph. */
  snapshot(): TaskGraphSnapshot {
    return { sequence: this.#sequence, tasks: this.all().map((task) => structuredClone(task)) };
  }

  #build(id: string, spec: TaskSpec, origin: TaskOrigin, now: number): Task {
    return {
      ...spec,
      id,
      runId: this.#options.runId,
      kind: origin.kind ?? "plan",
      branch: taskBranch(this.#options.branchPrefix, this.#options.runId, id),
      parentId: origin.parentId ?? null,
      state: "pending",
      attempts: 0,
      fingerprint: origin.fingerprint ?? null,
      createdAt: now,
    };
  }

  #insert(task: Task): void {
    this.#tasks.set(task.id, task);
    if (!this.#order.has(task.id)) this.#order.set(task.id, this.#order.size);
  }

  #orderOf(id: string): number {
    return this.#order.get(id) ?? Number.MAX_SAFE_INTEGER;
  }

  /** Throws when `candidates` (new or changed tasks) name unknown dependencies or close a cycle. */
  #assertInsertable(candidates: readonly Task[]): void {
    const view = new Map(this.#tasks);
    for (const task of candidates) view.set(task.id, task);
    for (const task of candidates) {
      for (const dependency of task.dependsOn) {
        if (!view.has(dependency)) {
          throw new InternalError(`Task ${task.id} depends on unknown task ${dependency}.`, {
            fields: { taskId: task.id, dependency },
          });
        }
      }
    }
    const cycle = findCycle(view, candidates);
    if (cycle !== undefined) throw new InternalError(`Dependency cycle: ${cycle.join(" -> ")}.`);
  }
}

/** A dependency cycle reachable from `starts`, as a path of ids, or `undefined`. */
function findCycle(tasks: ReadonlyMap<string, Task>, starts: readonly Task[]): string[] | undefined {
  const done = new Set<string>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    const seenAt = path.indexOf(id);
    if (seenAt !== -1) return [...path.slice(seenAt), id];
    if (done.has(id)) return undefined;
    const next = [...path, id];
    for (const dependency of tasks.get(id)?.dependsOn ?? []) {
      const cycle = visit(dependency, next);
      if (cycle !== undefined) return cycle;
    }
    done.add(id);
    return undefined;
  };
  for (const task of starts) {
    const cycle = visit(task.id, []);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
