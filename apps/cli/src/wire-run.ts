import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Config, type Logger, systemClock } from "@longshot/core";
import { type OpenedRun, openRun } from "@longshot/engine";
import type { SandboxProvider } from "@longshot/sandbox";
import type { Store } from "@longshot/store";
import { createWorkerHarness } from "./commands/worker-harness.js";
import { renderHtmlReport, renderMarkdownReport } from "./report/index.js";
import {
  createSandboxProvider,
  createSandboxRoutes,
  type ModelSetup,
  toolPath,
  workerChecks,
} from "./run-context.js";

export interface WireRunOptions {
  readonly config: Config;
  readonly repo: string;
  readonly runId: string;
  /** The request of a new run; null to resume `runId`. */
  readonly request: string | null;
  readonly store: Store;
  readonly stateDir: string;
  readonly models: ModelSetup;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** The git remote holding the integration branch (GIT_REPO_URL's clone), if any. */
  readonly remote?: string;
}

export interface WiredRun {
  readonly opened: OpenedRun;
  readonly sandboxes: SandboxProvider;
  /** Sandboxes removed because a crashed process left them. */
  readonly orphans: number;
  /** Releases what the run holds (MCP connections, sandbox pools). */
  close(): Promise<void>;
}

/**
 * The part of starting or resuming a run that `longshot "<request>"`, `longshot resume` and
 * `longshot mcp` share once the repository's lock is held: the sandbox provider (and whatever
 * a crashed process left in it), the worker harness, the engine, budgets carried over on resume,
 * and model-call events routed to the run.
 */
export async function wireRun(options: WireRunOptions): Promise<WiredRun> {
  const { config, repo, runId, store, env, logger, models } = options;
  const sandboxes = await createSandboxProvider(config, env, logger, repo);
  const closers: (() => Promise<void>)[] = [];
  const providers = [sandboxes];
  const close = async (): Promise<void> => {
    for (const closer of closers) await closer().catch(() => undefined);
    for (const provider of providers) await provider.close().catch(() => undefined);
  };
  try {
    const routed = await createSandboxRoutes(config, sandboxes, (kind) =>
      createSandboxProvider(config, env, logger, repo, kind),
    );
    providers.push(...routed.extra);
    // The caller holds the repository's lock, so no other process has live sandboxes here.
    let orphans = 0;
    for (const provider of providers) {
      const removed = await provider.cleanOrphans([]).catch((error: unknown) => {
        logger.warn({ error: String(error), provider: provider.name }, "orphan cleanup failed");
        return [] as readonly string[];
      });
      orphans += removed.length;
    }
    const harness = await createWorkerHarness(config, models.client, repo, env, options.signal, closers);
    const opened = await openRun({
      repoPath: repo,
      config,
      runId,
      request: options.request,
      store,
      model: models.client,
      sandboxes,
      ...(routed.routes.length === 0 ? {} : { routes: routed.routes }),
      clock: systemClock,
      logger,
      stateDir: options.stateDir,
      checks: workerChecks(config, repo),
      toolPath: toolPath(env),
      ...(options.remote === undefined ? {} : { remote: options.remote }),
      ...(harness === null ? {} : { harness }),
      // External coding CLIs call the model from inside the sandbox.
      ...(config.WORKER_HARNESS === "builtin" ? {} : { sandboxNetwork: true }),
    });
    if (options.request === null) {
      // Budgets continue where the stopped process left them.
      for (const event of store.events(runId, { types: ["model-call-end"] })) {
        if (event.type === "model-call-end") models.client.ledger.replay(runId, event);
      }
    }
    models.bind((event) => opened.engine.append(event));
    return { opened, sandboxes, orphans, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Writes the run's Markdown and HTML reports next to its log; returns the Markdown. */
export function writeReports(store: Store, stateDir: string, runId: string): string {
  const dir = join(stateDir, "runs", runId);
  mkdirSync(dir, { recursive: true });
  const markdown = renderMarkdownReport(store, runId);
  writeFileSync(join(dir, "report.md"), markdown);
  writeFileSync(join(dir, "report.html"), renderHtmlReport(store, runId));
  return markdown;
}
