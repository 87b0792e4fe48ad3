import { InternalError, type TaskState, UserError } from "@longshot/core";
import { toolInputs } from "../tool-inputs.js";
import { taskDetailView, taskRow } from "./task-view.js";
import type { ToolContext } from "./tool-context.js";
import { liveRun } from "./tool-context.js";
import { toolResult } from "./tool-result.js";

const uncancellable: readonly TaskState[] = ["landed", "cancelled", "split"];

function asList<T>(value: T | readonly T[] | undefined): readonly T[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value as T];
}

function noTask(taskId: string, runId: string): UserError {
  return new UserError(`No task ${taskId} in run ${runId}; call list_tasks to see its tasks.`);
}

/** list_tasks, get_task, add_task and cancel_task. */
export function registerTaskTools(context: ToolContext): void {
  registerTaskReads(context);
  registerTaskChanges(context);
}

/** The read-only tools, on any run the locator finds: list_tasks and get_task. */
function registerTaskReads(context: ToolContext): void {
  const { locator, tools } = context;

  tools.define(
    "list_tasks",
    {
      title: "List tasks",
      description:
        "Lists a run's tasks in id order with state, kind, attempts, priority, dependencies and scope; filter by state and kind, page with limit and offset.",
      inputSchema: toolInputs.list_tasks,
      annotations: { readOnlyHint: true },
    },
    (args) => {
      const { store, summary } = locator.find(args.runId, args.repo);
      const state = asList(args.state);
      const kind = asList(args.kind);
      const tasks = store.listTasks(summary.runId, {
        ...(state === undefined ? {} : { state }),
        ...(kind === undefined ? {} : { kind }),
      });
      const page = tasks.slice(args.offset, args.offset + args.limit);
      const shown = page.length < tasks.length ? `; showing ${page.length} from offset ${args.offset}` : "";
      return toolResult(`${tasks.length} matching task(s) in run ${summary.runId}${shown}.`, {
        runId: summary.runId,
        total: tasks.length,
        offset: args.offset,
        tasks: page.map(taskRow),
      });
    },
  );

  tools.define(
    "get_task",
    {
      title: "Get a task",
      description:
        "Reports one task: its spec, every attempt (model, outcome, judge verdict and feedback), handoffs, merges, and a transcript summary built from the agent's tool calls.",
      inputSchema: toolInputs.get_task,
      annotations: { readOnlyHint: true },
    },
    (args) => {
      const { store, summary } = locator.find(args.runId, args.repo);
      const detail = store.getTask(summary.runId, args.taskId);
      if (!detail) throw noTask(args.taskId, summary.runId);
      const task = detail.task;
      return toolResult(
        `Task ${task.id} (${task.kind}) is ${task.state} after ${task.attempts} attempt(s): ${task.title}`,
        taskDetailView(detail, store.toolCalls(summary.runId, task.id)),
      );
    },
  );
}

/** The tools that change a run live in this server: add_task and cancel_task. */
function registerTaskChanges(context: ToolContext): void {
  const { locator, tools } = context;

  tools.define(
    "add_task",
    {
      title: "Add a task",
      description:
        "Adds a task to a run that is live in this server; the scheduler runs it once its dependencies have landed. Returns the new task id.",
      inputSchema: toolInputs.add_task,
      annotations: { destructiveHint: false },
    },
    (args) => {
      const located = locator.find(args.runId, args.repo);
      const live = liveRun(context, located, "take a new task");
      const state = live.snapshot().state;
      if (state.draining) {
        throw new UserError(
          `Run ${args.runId} is draining (${state.drainReason}) and takes no new tasks; start_run a new run instead.`,
        );
      }
      const missing = (args.task.dependsOn ?? []).filter((id) => !state.tasks.has(id));
      if (missing.length > 0) {
        throw new UserError(
          `dependsOn names ${missing.join(", ")}, which run ${args.runId} does not have; call list_tasks to see its task ids.`,
        );
      }
      const before = state.order.length;
      live.send({ type: "add-task", task: args.task });
      const after = live.snapshot().state;
      const taskId = after.order[before];
      const view = taskId === undefined ? undefined : after.tasks.get(taskId);
      if (!view) throw new InternalError(`the engine recorded no task for add_task in run ${args.runId}`);
      return toolResult(`Added task ${view.task.id} to run ${args.runId}: ${view.task.title}`, {
        runId: args.runId,
        task: taskRow(view.task),
      });
    },
  );

  tools.define(
    "cancel_task",
    {
      title: "Cancel a task",
      description:
        "Cancels a task of a run that is live in this server: a waiting task is dropped, a running attempt is stopped and its sandbox torn down. Tasks that depend on it are cancelled too once the plan is complete.",
      inputSchema: toolInputs.cancel_task,
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    (args) => {
      const located = locator.find(args.runId, args.repo);
      const live = liveRun(context, located, "cancel a task");
      const view = live.snapshot().state.tasks.get(args.taskId);
      if (!view) throw noTask(args.taskId, args.runId);
      if (uncancellable.includes(view.task.state)) {
        throw new UserError(
          `Task ${args.taskId} is already ${view.task.state}; only tasks that have not landed, been cancelled or been split can be cancelled.`,
        );
      }
      live.send({ type: "cancel-task", taskId: args.taskId });
      const now = live.snapshot().state.tasks.get(args.taskId)?.task.state ?? view.task.state;
      const note =
        now === "cancelled"
          ? "cancelled"
          : `being cancelled (its ${now} attempt is stopping; get_task shows when it ends)`;
      return toolResult(`Task ${args.taskId} of run ${args.runId} is ${note}.`, {
        runId: args.runId,
        taskId: args.taskId,
        state: now,
      });
    },
  );
}
