import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  AbortError,
  type Config,
  createLogger,
  type Logger,
  RandomIdSource,
  systemClock,
  UserError,
} from "@longshot/core";
import type { RunResult } from "@longshot/engine";
import { connectGitHub, publishPullRequest } from "@longshot/github";
import { fastForwardTarget } from "@longshot/merge-queue";
import { acquireRunLock, SqliteStore } from "@longshot/store";
import { type OutputMode, openDisplay, type RunDisplay } from "../event-output.js";
import { RunInterrupts } from "../interrupts.js";
import { type Output, paint } from "../output.js";
import { remoteWorkspace } from "../remote-workspace.js";
import { renderMarkdownReport } from "../report/index.js";
import { checkRepository, checkSpec, databaseOf, setupModels, stateDirOf } from "../run-context.js";
import { resolveRunId } from "../run-ids.js";
import { checkSandboxServices } from "../sandbox-preflight.js";
import { type WiredRun, wireRun, writeReports } from "../wire-run.js";

export interface RunCommandOptions {
  readonly config: Config;
  readonly secrets: readonly string[];
  readonly repo: string;
  /** The request for a new run; null to resume `runId` (or the latest unfinished run). */
  readonly request: string | null;
  readonly runId?: string;
  readonly mode: OutputMode;
  readonly output: Output;
  readonly env: NodeJS.ProcessEnv;
  /** Abandon unfinished runs instead of refusing to start. */
  readonly reset?: boolean;
  /** Called with the engine's send function once the run exists (signals, MCP). */
  readonly onStarted?: (runId: string) => void;
  /** Extra text printed before the run starts (the demo's notice). */
  readonly banner?: string;
  /** Open or update a pull request instead of fast-forwarding the target branch. */
  readonly pr?: boolean;
  /** Leave the target branch alone (issue mode publishes the branch itself). */
  readonly noLanding?: boolean;
  /** --repo was given, so GIT_REPO_URL is not used. */
  readonly repoGiven?: boolean;
  /** A display opened earlier (the demo's dashboard, up while the sample is made). */
  readonly display?: RunDisplay;
  /** Aborting drains the run as a first Ctrl+C would (the watch loop's kill switch and time budget). */
  readonly stopSignal?: AbortSignal;
}

/** How a run ended, for callers that go on with it (issue mode). */
export interface RunOutcome {
  readonly code: number;
  readonly runId: string;
  readonly result: RunResult;
  readonly integrationBranch: string;
  readonly reportMarkdown: string;
}

/** Exit code of a finished run: 0 green, 130 interrupted, 1 otherwise. */
export function exitCodeFor(result: RunResult): number {
  if (result.interrupted) return 130;
  return result.status === "green" ? 0 : 1;
}

/**
 * `longshot "<request>"` and `longshot resume`: checks everything before the first side effect,
 * takes the repository's run lock, runs the engine with the chosen output, lands the target
 * branch when the run is green, and writes the reports.
 */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  return (await executeRun(options)).code;
}

/** `runCommand` with the details of the outcome. */
export async function executeRun(options: RunCommandOptions): Promise<RunOutcome> {
  const { config } = options;
  const setupAbort = new AbortController();
  let interrupts: RunInterrupts | null = null;
  // Up first, so a terminal shows the dashboard ("planning…") while the run is set up.
  const display =
    options.display ??
    (await openDisplay(options.mode, options.output, {
      maxWorkers: config.MAX_WORKERS,
      budget: { usd: config.MAX_COST_USD ?? null, tokens: config.MAX_TOKENS ?? null },
      onInterrupt: () => interrupts?.interrupt(),
    }));
  interrupts = new RunInterrupts({
    display,
    drainTimeoutMs: config.DRAIN_TIMEOUT * 1000,
    beforeStart: () => setupAbort.abort(new AbortError("Interrupted before the run started.")),
  });
  display.onInterrupt(interrupts.interrupt);
  process.on("SIGINT", interrupts.interrupt);
  process.on("SIGTERM", interrupts.interrupt);
  try {
    return await executeWithDisplay(options, display, interrupts, setupAbort);
  } finally {
    process.off("SIGINT", interrupts.interrupt);
    process.off("SIGTERM", interrupts.interrupt);
    interrupts.dispose();
    setupAbort.abort();
    await display.close();
  }
}

async function executeWithDisplay(
  options: RunCommandOptions,
  display: RunDisplay,
  interrupts: RunInterrupts,
  setupAbort: AbortController,
): Promise<RunOutcome> {
  const { config, output, env } = options;
  const remoteUrl = options.repoGiven ? undefined : config.GIT_REPO_URL;
  const repoPath =
    remoteUrl === undefined ? options.repo : await remoteWorkspace(remoteUrl, config.GIT_MAIN_BRANCH, env);
  const { repo } = await checkRepository(repoPath, config);
  if (options.request !== null) checkSpec(repo, options.request);
  display.progress("starting: checking the model endpoints…");
  const models = await setupModels(config, setupAbort.signal);
  await checkSandboxServices(config, { signal: setupAbort.signal });
  // The token stays in this process: it is used for the API and for one push, never in a sandbox.
  const github = options.pr
    ? await connectGitHub({
        repoPath: repo,
        token: config.GITHUB_TOKEN,
        ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
        ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
        signal: setupAbort.signal,
      })
    : null;

  const stateDir = stateDirOf(repo);
  mkdirSync(stateDir, { recursive: true });
  const store = new SqliteStore(databaseOf(repo), { clock: systemClock });
  const runId =
    options.request === null
      ? resumableRun(store, options.runId)
      : new RandomIdSource().runId(systemClock.now());
  if (options.request !== null && !options.reset) refuseIfUnfinished(store);
  const lock = acquireRunLock(stateDir, { pid: process.pid, runId });
  const logger: Logger = createLogger({
    file: join(stateDir, "runs", runId, "run.log"),
    // With --debug and no dashboard, the log is also shown, readable, on the terminal.
    ...(config.LOG_LEVEL === "debug" && options.mode === "plain" && output.isTty
      ? { pretty: process.stderr }
      : {}),
    level: config.LOG_LEVEL,
    secrets: options.secrets,
  });
  let wired: WiredRun | null = null;
  let stopRun: (() => void) | null = null;
  try {
    wired = await wireRun({
      config,
      repo,
      runId,
      request: options.request,
      store,
      stateDir,
      models,
      env,
      logger,
      signal: setupAbort.signal,
      ...(remoteUrl === undefined ? {} : { remote: "origin" }),
    });
    const { opened, sandboxes } = wired;
    const { engine } = opened;
    if (wired.orphans > 0) display.note(`Removed ${wired.orphans} sandbox(es) left by an earlier process.`);
    interrupts.attach(engine);
    stopRun = (): void => engine.send({ type: "stop" });
    if (options.stopSignal?.aborted) stopRun();
    options.stopSignal?.addEventListener("abort", stopRun, { once: true });
    if (options.banner) display.note(options.banner);
    display.note(
      `${options.request === null ? "Resuming" : "Starting"} run ${paint(output, "bold", runId)} on ${repo} (models: ${models.description}; sandbox: ${sandboxes.name}; workers: ${config.MAX_WORKERS}).`,
    );
    options.onStarted?.(runId);
    // The dashboard folds the whole log (a resumed run shows its history); lines start from now.
    const events = engine.events(display.mode === "dashboard" ? 0 : engine.state.lastSeq);
    const shown = display.show(interrupts.tap(events), {
      pause: () => engine.send({ type: "pause" }),
      resume: () => engine.send({ type: "resume" }),
      cancelTask: (taskId) => engine.send({ type: "cancel-task", taskId }),
      setMaxWorkers: (value) => engine.send({ type: "set-max-workers", value }),
      quit: () => engine.send({ type: "stop" }),
      interrupt: interrupts.interrupt,
    });
    const result = await engine.run(opened.start);
    await shown;
    await display.close();
    if (!result.interrupted) await opened.restoreHidden();
    if (github !== null && !result.interrupted) {
      const published = await publishPullRequest({
        client: github.client,
        repoPath: repo,
        branch: opened.integrationBranch,
        base: config.GIT_MAIN_BRANCH,
        title: `longshot: ${(options.request ?? store.getRun(runId)?.request ?? runId).split("\n")[0]!.slice(0, 100)}`,
        body: renderMarkdownReport(store, runId),
        token: config.GITHUB_TOKEN ?? "",
        draft: result.status !== "green",
      });
      output.err(
        published.ok
          ? `Pull request ${published.pullRequest.created ? "opened" : "updated"}: ${published.pullRequest.url}`
          : `No pull request: ${published.reason}.`,
      );
    } else if (result.status === "green" && !options.noLanding && remoteUrl !== undefined) {
      const base = store.getRun(runId)?.baseCommit ?? null;
      const pushed = await opened.git.push("origin", result.head, `refs/heads/${config.GIT_MAIN_BRANCH}`, {
        expected: base,
      });
      output.err(
        pushed.ok
          ? `${config.GIT_MAIN_BRANCH} on ${remoteUrl} now points at ${result.head.slice(0, 10)}.`
          : `${config.GIT_MAIN_BRANCH} on ${remoteUrl} moved during the run (${pushed.reason}); the work is on ${opened.integrationBranch} there. To land it: git fetch origin && git merge origin/${opened.integrationBranch}`,
      );
    } else if (result.status === "green" && !options.noLanding) {
      const landed = await fastForwardTarget({
        git: opened.git,
        integrationBranch: opened.integrationBranch,
        targetBranch: config.GIT_MAIN_BRANCH,
        emit: (event) => engine.append(event),
      });
      if (landed.kind === "manual") output.err(`${landed.detail} To land it: ${landed.command}`);
      else output.err(`${config.GIT_MAIN_BRANCH} now points at ${result.head.slice(0, 10)}.`);
    } else if (result.interrupted) {
      output.err(`Run ${runId} stopped; continue it with: longshot resume ${runId}`);
    }
    const reportMarkdown = writeReports(store, stateDir, runId);
    const summary = `Run ${runId} ended ${result.status}: ${result.reason}. Report: ${join(stateDir, "runs", runId, "report.html")}`;
    output.err(result.status === "green" ? paint(output, "green", summary) : paint(output, "red", summary));
    // For scripts: one line on stdout, `<run> <status> <commit> <report>` (the report path last).
    if (!output.isTty && options.mode !== "json")
      output.out(resultLine(runId, result, join(stateDir, "runs", runId, "report.html")));
    return {
      code: exitCodeFor(result),
      runId,
      result,
      integrationBranch: opened.integrationBranch,
      reportMarkdown,
    };
  } finally {
    if (stopRun !== null) options.stopSignal?.removeEventListener("abort", stopRun);
    await wired?.close();
    lock.release();
    store.close();
    logger.flush();
  }
}

/** The result line a script reads from stdout: run id, status, commit, report path. */
export function resultLine(runId: string, result: RunResult, reportPath: string): string {
  return `${runId} ${result.status} ${result.head || "-"} ${reportPath}`;
}

/** The run to resume: the one named (a prefix, or latest), else the newest unfinished one. */
function resumableRun(store: SqliteStore, runId: string | undefined): string {
  const runs = store.listRuns();
  if (runId !== undefined) {
    const resolved = resolveRunId(store, runId);
    if (runs.find((entry) => entry.runId === resolved)?.status === "green")
      throw new UserError(`Run ${resolved} already ended green; there is nothing to resume.`);
    return resolved;
  }
  const unfinished = runs.find((entry) => entry.status !== "green" && entry.status !== "red");
  if (!unfinished)
    throw new UserError("There is no unfinished run to resume in this repository; longshot runs lists them.");
  return unfinished.runId;
}

function refuseIfUnfinished(store: SqliteStore): void {
  const unfinished = store
    .listRuns()
    .find(
      (run) =>
        run.status === "stopped" ||
        run.status === "running" ||
        run.status === "draining" ||
        run.status === "paused",
    );
  if (unfinished) {
    throw new UserError(
      `Run ${unfinished.runId} in this repository is unfinished (${unfinished.status}); continue it with longshot resume ${unfinished.runId}, or pass --reset to start a new run anyway.`,
    );
  }
}
