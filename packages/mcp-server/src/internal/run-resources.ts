import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Variables } from "@modelcontextprotocol/sdk/shared/uriTemplate.js";
import { McpError, type Resource } from "@modelcontextprotocol/sdk/types.js";
import type { RunService } from "../run-service.js";
import type { LocatedRun, RunLocator } from "./run-locator.js";
import { clip } from "./task-view.js";

/** JSON-RPC code for an unknown resource, as the MCP specification names it. */
const resourceNotFound = -32002;
/** Runs listed per repository, newest first. */
const listedRuns = 50;

/** The URI of a run's Markdown report. */
export function reportUri(runId: string): string {
  return `longshot://runs/${encodeURIComponent(runId)}/report`;
}

/** The URI of a run's event log (NDJSON). */
export function eventsUri(runId: string): string {
  return `longshot://runs/${encodeURIComponent(runId)}/events`;
}

function runIdOf(variables: Variables): string {
  const value = variables.runId;
  return Array.isArray(value) ? (value[0] ?? "") : (value ?? "");
}

function listRuns(
  locator: RunLocator,
  service: RunService,
  entry: (run: LocatedRun) => Resource,
): Resource[] {
  const resources: Resource[] = [];
  for (const repo of locator.repos()) {
    const store = service.store(repo);
    for (const summary of store.listRuns().slice(0, listedRuns))
      resources.push(entry({ repo, store, summary }));
  }
  return resources;
}

function locate(locator: RunLocator, uri: URL, variables: Variables): LocatedRun {
  const runId = runIdOf(variables);
  const found = locator.locate(runId);
  if (!found) {
    throw new McpError(
      resourceNotFound,
      `No run ${runId} in ${locator.repos().join(", ") || "any known repository"} for ${uri.href}; call list_runs (with repo) to see the runs.`,
    );
  }
  return found;
}

/** One kind of resource every run has, at `longshot://runs/{runId}/<kind>`. */
interface RunResource {
  readonly kind: string;
  readonly uri: (runId: string) => string;
  readonly title: string;
  readonly description: string;
  readonly mimeType: string;
  /** The title of one run's resource in the listing. */
  listTitle(run: LocatedRun): string;
  read(run: LocatedRun, signal: AbortSignal): Promise<string> | string;
}

function runResources(service: RunService): readonly RunResource[] {
  return [
    {
      kind: "report",
      uri: reportUri,
      title: "Run report",
      description: "A run's Markdown report: outcome, tasks, merges, health and cost.",
      mimeType: "text/markdown",
      listTitle: ({ summary }) =>
        `Report of ${summary.runId} (${summary.status}): ${clip(summary.request, 80)}`,
      read: ({ repo, summary }, signal) => service.report(repo, summary.runId, signal),
    },
    {
      kind: "events",
      uri: eventsUri,
      title: "Run event log",
      description: "A run's recorded events as NDJSON, one per line in sequence order, exactly as stored.",
      mimeType: "application/x-ndjson",
      listTitle: ({ summary }) => `Event log of ${summary.runId} (${summary.lastSeq} events)`,
      read: ({ store, summary }) => {
        const lines = store.events(summary.runId).map((event) => JSON.stringify(event));
        return lines.length > 0 ? `${lines.join("\n")}\n` : "";
      },
    },
  ];
}

/**
 * Resource templates with list support: `longshot://runs/{runId}/report` (the run's Markdown
 * report, rendered by the service) and `longshot://runs/{runId}/events` (its event log as
 * NDJSON, one recorded event per line, in sequence order).
 */
export function registerRunResources(server: McpServer, service: RunService, locator: RunLocator): void {
  for (const resource of runResources(service)) {
    server.registerResource(
      `run-${resource.kind}`,
      new ResourceTemplate(`longshot://runs/{runId}/${resource.kind}`, {
        list: () => ({
          resources: listRuns(locator, service, (run) => ({
            uri: resource.uri(run.summary.runId),
            name: `${run.summary.runId} ${resource.kind}`,
            title: resource.listTitle(run),
            mimeType: resource.mimeType,
          })),
        }),
      }),
      { title: resource.title, description: resource.description, mimeType: resource.mimeType },
      async (uri, variables, extra) => {
        const text = await resource.read(locate(locator, uri, variables), extra.signal);
        return { contents: [{ uri: uri.href, mimeType: resource.mimeType, text }] };
      },
    );
  }
}
