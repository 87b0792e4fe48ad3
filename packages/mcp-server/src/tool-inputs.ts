import { isAbsolute } from "node:path";
import { TaskKindSchema, TaskStateSchema } from "@longshot/core";
import { z } from "zod";
import { enginePieces } from "./internal/engine-pieces.js";
import { StartRunOptionsSchema } from "./start-run-options.js";

const repo = z
  .string()
  .refine(isAbsolute, "an absolute path to a git repository, such as /home/me/project")
  .optional()
  .describe("Absolute path of the git repository; default: the repository the server was started in.");

const runId = z
  .string()
  .trim()
  .min(1, "a run id such as r20261121-104955-3fa2 (call list_runs to see them)")
  .describe("Run id such as r20261121-104955-3fa2 (from start_run or list_runs).");

const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema).min(1)]);

/**
 * Input schemas of every MCP tool, as zod raw shapes: the single source of the tools' JSON
 * Schemas, their validation and their handlers' argument types. Command arguments reuse the
 * engine's `EngineCommandSchema` pieces, so the MCP server accepts exactly what the engine does.
 */
export const toolInputs = {
  start_run: {
    request: z
      .string()
      .trim()
      .min(1, 'the build request in plain words, such as "Build per SPEC.md"')
      .describe('The build request in plain words, such as "Build per SPEC.md".'),
    repo,
    options: StartRunOptionsSchema.optional().describe(
      "Per-run settings; unset ones come from the configuration.",
    ),
  },
  list_runs: {
    repo,
    limit: z.number().int().min(1).max(500).default(20).describe("Newest runs to list (default 20)."),
  },
  get_run: { runId, repo },
  wait_run: {
    runId,
    repo,
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(600)
      .default(50)
      .describe(
        "Return after this many seconds if the run has not ended (default 50; keep it under your client's request timeout).",
      ),
  },
  list_tasks: {
    runId,
    repo,
    state: oneOrMany(TaskStateSchema).optional().describe("Only tasks in this state (or these states)."),
    kind: oneOrMany(TaskKindSchema).optional().describe("Only tasks of this kind (or these kinds)."),
    limit: z.number().int().min(1).max(1000).default(100).describe("Tasks to return (default 100)."),
    offset: z.number().int().min(0).default(0).describe("Tasks to skip, for paging."),
  },
  get_task: { runId, repo, taskId: enginePieces.taskId.describe("Task id such as t0001 (see list_tasks).") },
  add_task: {
    runId,
    repo,
    task: enginePieces.newTask.describe(
      "The task: title and description are required; acceptance, scope (paths), dependsOn (task ids), priority (0-100), size, context and requires (what its sandbox must provide, such as network; see SANDBOX_ROUTES) are optional.",
    ),
  },
  cancel_task: {
    runId,
    repo,
    taskId: enginePieces.taskId.describe("Task id such as t0001 (see list_tasks)."),
  },
  pause_run: { runId, repo },
  resume_run: { runId, repo },
  stop_run: {
    runId,
    repo,
    reason: enginePieces.stopReason.describe("Why the run stops; recorded in its log."),
    abort: z
      .boolean()
      .default(false)
      .describe(
        "false (default): drain gracefully, letting running attempts finish; true: abort now, tearing down every sandbox.",
      ),
  },
  set_max_workers: {
    runId,
    repo,
    workers: enginePieces.maxWorkers.describe("Tasks running at once, from 1 to 10000."),
  },
};

/** The names of the tools. */
export type ToolName = keyof typeof toolInputs;
