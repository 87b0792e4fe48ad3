import { UserError } from "@longshot/core";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { toolInputs } from "../tool-inputs.js";
import { describeRun } from "./run-tools.js";
import type { ToolContext } from "./tool-context.js";
import { liveRun } from "./tool-context.js";
import { toolResult } from "./tool-result.js";

/** A run's report, led by what the command did. */
function after(context: ToolContext, runId: string, repo: string, done: string): CallToolResult {
  const described = describeRun(context, runId, repo);
  return toolResult(done, described.structuredContent ?? {});
}

/** pause_run, resume_run, stop_run and set_max_workers. */
export function registerControlTools(context: ToolContext): void {
  const { service, locator, tools } = context;

  tools.define(
    "pause_run",
    {
      title: "Pause a run",
      description:
        "Pauses a run live in this server: no new attempt starts; running attempts finish. resume_run continues it.",
      inputSchema: toolInputs.pause_run,
      annotations: { idempotentHint: true },
    },
    (args) => {
      const located = locator.find(args.runId, args.repo);
      const live = liveRun(context, located, "be paused");
      const already = live.snapshot().state.paused;
      live.send({ type: "pause" });
      const done = already ? `Run ${args.runId} was already paused.` : `Paused run ${args.runId}.`;
      return after(
        context,
        args.runId,
        located.repo,
        `${done} Running attempts finish; resume_run continues.`,
      );
    },
  );

  tools.define(
    "resume_run",
    {
      title: "Resume a run",
      description:
        "Unpauses a paused run live in this server; a run that is not live here (crashed, killed, stopped or interrupted) is resumed in this server from its log, like `longshot resume <run>`.",
      inputSchema: toolInputs.resume_run,
      annotations: { idempotentHint: true, openWorldHint: true },
    },
    async (args, extra) => {
      const located = locator.find(args.runId, args.repo);
      // Checked first: a run that has just ended green may still be winding down in this server.
      if (located.summary.status === "green") {
        throw new UserError(
          `Run ${args.runId} ended green, so there is nothing to resume; call start_run for a new run.`,
        );
      }
      const live = service.engine(args.runId);
      if (live) {
        context.notifier.watch(live);
        const paused = live.snapshot().state.paused;
        live.send({ type: "resume" });
        const done = paused ? `Unpaused run ${args.runId}.` : `Run ${args.runId} is already running.`;
        return after(context, args.runId, located.repo, done);
      }
      await service.resume(located.repo, args.runId, extra.signal);
      const resumed = service.engine(args.runId);
      if (resumed) context.notifier.watch(resumed);
      return after(context, args.runId, located.repo, `Resumed run ${args.runId} in this server.`);
    },
  );

  tools.define(
    "stop_run",
    {
      title: "Stop a run",
      description:
        "Stops a run live in this server. By default it drains: planning stops, running attempts finish, state is saved and the run can be resumed later (like the first Ctrl+C). With abort: true it stops at once and tears down every sandbox (like a second Ctrl+C).",
      inputSchema: toolInputs.stop_run,
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    (args) => {
      const located = locator.find(args.runId, args.repo);
      const live = liveRun(context, located, "be stopped");
      live.send(args.abort ? { type: "abort", reason: args.reason } : { type: "stop", reason: args.reason });
      const done = args.abort
        ? `Aborting run ${args.runId}: every attempt is being torn down.`
        : `Stopping run ${args.runId}: running attempts finish, then it ends; resume_run continues it later.`;
      return after(context, args.runId, located.repo, done);
    },
  );

  tools.define(
    "set_max_workers",
    {
      title: "Set the number of workers",
      description: "Changes how many tasks of a run live in this server may run at once.",
      inputSchema: toolInputs.set_max_workers,
      annotations: { idempotentHint: true },
    },
    (args) => {
      const located = locator.find(args.runId, args.repo);
      const live = liveRun(context, located, "change its workers");
      live.send({ type: "set-max-workers", value: args.workers });
      return after(
        context,
        args.runId,
        located.repo,
        `Run ${args.runId} now runs up to ${args.workers} task(s) at once.`,
      );
    },
  );
}
