import { join } from "node:path";
import type { CheckCommand } from "@longshot/agent";
import {
  ChildProcessLauncher,
  type Config,
  type Logger,
  setProcessLauncher,
  systemClock,
} from "@longshot/core";
import { type OpenedRun, openRun } from "@longshot/engine";
import type { SandboxProvider } from "@longshot/sandbox";
import type { Store } from "@longshot/store";
import { createWorkerHarness } from "./commands/worker-harness.js";
import { startRunGateway } from "./gateway-setup.js";
import {
  createSandboxProvider,
  createSandboxRoutes,
  type ModelSetup,
  toolPath,
  workerChecks,
  workspaceRootOf,
} from "./run-context.js";

export interface ComposeRunOptions {
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
  /**
   * The checks workers run with `run_checks` and the judge runs on each attempt; default the
   * repository's check plan with the configured commands (`workerChecks`).
   */
  readonly checks?: readonly CheckCommand[];
}

export interface ComposedRun {
  readonly opened: OpenedRun;
  readonly sandboxes: SandboxProvider;
  /** Sandboxes removed because a crashed process left them. */
  readonly orphans: number;
  /** Releases what the run holds (MCP connections, sandbox pools, the model gateway). */
  close(): Promise<void>;
}

/**
 * The composition root of a run, shared by `longshot "<request>"`, `longshot resume`,
 * `longshot mcp` and the benchmark once the repository's lock is held: the one place the
 * concrete parts are chosen, from the configuration. It starts the model gateway (for external
 * CLI workers), builds the sandbox provider of SANDBOX_PROVIDER and those of SANDBOX_ROUTES
 * (removing whatever a crashed process left in them) and the harness of WORKER_HARNESS, then
 * opens the engine around them (`openRun`), carries budgets over on resume and routes
 * model-call events to the run. Everything it started is released when it throws.
 */
export async function composeRun(options: ComposeRunOptions): Promise<ComposedRun> {
  const { config, repo, logger } = options;
  // PROCESS_SPAWNER=false: every program is forked from this process, as before the spawner.
  if (!config.PROCESS_SPAWNER) setProcessLauncher(new ChildProcessLauncher());
  const gated = await startRunGateway(config, options.models.client, repo, logger);
  const sockets = gated?.sockets ?? [];
  const makeProvider = (kind: Config["SANDBOX_PROVIDER"]): Promise<SandboxProvider> =>
    createSandboxProvider(config, logger, repo, kind, { sockets, env: options.env });
  let sandboxes: SandboxProvider;
  try {
    sandboxes = await makeProvider(config.SANDBOX_PROVIDER);
  } catch (error) {
    await gated?.gateway.close();
    throw error;
  }
  const closers: (() => Promise<void>)[] = [];
  const providers = [sandboxes];
  let opened: OpenedRun | null = null;
  const close = async (): Promise<void> => {
    for (const closer of closers) await closer().catch(() => undefined);
    for (const provider of providers) await provider.close().catch(() => undefined);
    // After the pools: the run's sandboxes' repository goes last.
    await opened?.close().catch(() => undefined);
    await gated?.gateway.close().catch(() => undefined);
  };
  try {
    const routed = await createSandboxRoutes(config, sandboxes, makeProvider);
    providers.push(...routed.extra);
    const orphans = await cleanOrphans(providers, logger);
    const checks = options.checks ?? workerChecks(config, repo);
    const harness = await createWorkerHarness(config, options.models.client, repo, {
      gateway: gated?.gateway ?? null,
      checks,
      signal: options.signal,
      closers,
    });
    opened = await openRun({
      repoPath: repo,
      config,
      runId: options.runId,
      request: options.request,
      store: options.store,
      model: options.models.client,
      sandboxes,
      harness,
      ...(routed.routes.length === 0 ? {} : { routes: routed.routes }),
      clock: systemClock,
      logger,
      stateDir: options.stateDir,
      checks,
      toolPath: toolPath(config),
      // Outside the repository, so a sandbox finds no path of it at all.
      sandboxRepositories: join(workspaceRootOf(repo), "repositories"),
      ...(options.remote === undefined ? {} : { remote: options.remote }),
    });
    if (options.request === null) replayBudgets(options);
    const run = opened;
    options.models.bind((event) => run.engine.append(event));
    return { opened: run, sandboxes, orphans, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Removes the sandboxes a crashed process left; the caller holds the repository's lock, so no
 * other process has live sandboxes here. Returns how many were removed.
 */
async function cleanOrphans(providers: readonly SandboxProvider[], logger: Logger): Promise<number> {
  let orphans = 0;
  for (const provider of providers) {
    const removed = await provider.cleanOrphans([]).catch((error: unknown) => {
      logger.warn({ error: String(error), provider: provider.name }, "orphan cleanup failed");
      return [] as readonly string[];
    });
    orphans += removed.length;
  }
  return orphans;
}

/** Budgets continue where the stopped process left them. */
function replayBudgets(options: ComposeRunOptions): void {
  for (const event of options.store.events(options.runId, { types: ["model-call-end"] })) {
    if (event.type === "model-call-end") options.models.client.ledger.replay(options.runId, event);
  }
}
