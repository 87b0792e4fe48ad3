import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { toolInputs } from "../tool-inputs.js";
import { eventsUri, reportUri } from "./run-resources.js";
import { isEnded, iso, progressOf, runHeadline, runView } from "./run-view.js";
import { clip } from "./task-view.js";
import type { ToolContext } from "./tool-context.js";
import { toolResult } from "./tool-result.js";
import { waitForRun } from "./wait-for-run.js";

/** get_run's answer for a run; shared by the tools that report a run after acting on it. */
export function describeRun(context: ToolContext, runId: string, repo: string | undefined): CallToolResult {
  const located = context.locator.find(runId, repo);
  const live = context.service.engine(runId);
  if (live && !isEnded(located.summary.status)) context.notifier.watch(live);
  const ending = context.service.ending?.(runId) ?? null;
  return toolResult(
    runHeadline(located.summary, live, ending),
    runView(located.summary, located.store, live, ending),
  );
}

/** start_run, list_runs, get_run and wait_run. */
export function registerRunTools(context: ToolContext): void {
  const { server, service, locator, tools } = context;

  tools.define(
    "start_run",
    {
      title: "Start a longshot run",
      description:
        'Starts a longshot run in the background: the planner splits the request into tasks, workers build them in sandboxes and the merge queue lands them on an integration branch. Returns the run id at once; follow it with wait_run, get_run and list_tasks. The run is the same as `longshot "<request>"` would start (visible in `longshot runs`, resumable).',
      inputSchema: toolInputs.start_run,
      annotations: { destructiveHint: false, openWorldHint: true },
    },
    async (args, extra) => {
      const repo = locator.repo(args.repo);
      const { runId } = await service.start(
        { request: args.request, repo, options: args.options ?? {} },
        extra.signal,
      );
      const live = service.engine(runId);
      if (live) context.notifier.watch(live, 0);
      server.sendResourceListChanged();
      const located = locator.find(runId, repo);
      const paused = args.options?.paused ? " paused (call resume_run to let tasks start)" : "";
      return toolResult(`Started run ${runId}${paused} in ${repo}; follow it with wait_run or get_run.`, {
        ...runView(located.summary, located.store, live, null),
        report: reportUri(runId),
        events: eventsUri(runId),
      });
    },
  );

  tools.define(
    "list_runs",
    {
      title: "List runs",
      description: "Lists the runs recorded in a repository, newest first, with status, progress and cost.",
      inputSchema: toolInputs.list_runs,
      annotations: { readOnlyHint: true },
    },
    (args) => {
      const repo = locator.repo(args.repo);
      const runs = service.store(repo).listRuns();
      const shown = runs.slice(0, args.limit).map((summary) => ({
        runId: summary.runId,
        status: summary.status,
        live: service.engine(summary.runId) !== null && !isEnded(summary.status),
        request: clip(summary.request, 200),
        progress: progressOf(summary.tasks),
        costUsd: summary.costUsd,
        reason: summary.reason,
        startedAt: iso(summary.startedAt),
        endedAt: iso(summary.endedAt),
      }));
      const more = runs.length > shown.length ? ` (showing the newest ${shown.length})` : "";
      return toolResult(`${runs.length} run(s) in ${repo}${more}.`, {
        repo,
        total: runs.length,
        runs: shown,
      });
    },
  );

  tools.define(
    "get_run",
    {
      title: "Get a run",
      description:
        "Reports a run: status, whether it is live in this server, task progress, cost and tokens by role, merges, the last health check of the integration branch, branches and timestamps.",
      inputSchema: toolInputs.get_run,
      annotations: { readOnlyHint: true },
    },
    (args) => describeRun(context, args.runId, args.repo),
  );

  tools.define(
    "wait_run",
    {
      title: "Wait for a run",
      description:
        "Waits until the run ends or timeoutSeconds pass, then reports it like get_run. While waiting it sends notifications/progress when the call carries a progressToken (progress = tasks settled, total = tasks planned so far). Call it again to keep following a long run.",
      inputSchema: toolInputs.wait_run,
      annotations: { readOnlyHint: true },
    },
    async (args, extra) => {
      const located = locator.find(args.runId, args.repo);
      const live = service.engine(args.runId);
      if (live && !isEnded(located.summary.status)) {
        context.notifier.watch(live);
        const token = extra._meta?.progressToken;
        await waitForRun(live, {
          timeoutMs: args.timeoutSeconds * 1000,
          signal: extra.signal,
          progress:
            token === undefined
              ? null
              : (params) =>
                  extra.sendNotification({
                    method: "notifications/progress",
                    params: { progressToken: token, ...params },
                  }),
        });
      }
      return describeRun(context, args.runId, located.repo);
    },
  );
}
