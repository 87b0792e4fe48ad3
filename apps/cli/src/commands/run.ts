import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  AbortError,
  type Config,
  type ConfigSources,
  createLogger,
  EnvironmentError,
  type Logger,
  type LongshotEvent,
  messageOf,
  RandomIdSource,
  silentLogger,
  systemClock,
  UserError,
} from "@longshot/core";
import { budgetStopPrefix, RunRecordError, type RunResult } from "@longshot/engine";
import type { GitHubConnection } from "@longshot/github";
import { acquireRunLock, SqliteStore } from "@longshot/store";
import { type ComposedRun, composeRun } from "../compose-run.js";
import { type OutputMode, openDisplay, type RunDisplay } from "../event-output.js";
import { finishRun, prepareFinish, type RunDestination } from "../finish-run.js";
import { assertHarnessReady, refuseUnreachableGateway } from "../harness-check.js";
import { RunInterrupts } from "../interrupts.js";
import { type IsolationReport, requireIsolation } from "../isolation-probe.js";
import { type Output, paint, upperFirst } from "../output.js";
import { remoteWorkspace } from "../remote-workspace.js";
import { openResumable, overrideNotes, type ResumableRun } from "../resume-settings.js";
import {
  checkRepository,
  checkSpec,
  databaseOf,
  type ModelSetup,
  setupModels,
  stateDirOf,
  toolPath,
} from "../run-context.js";
import { logEvents } from "../run-log.js";
import { checkSandboxServices } from "../sandbox-preflight.js";
import { repositoryTop } from "../state-paths.js";

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
  /** What a stopped run says instead of how to resume it (the demo's, whose model ends with it). */
  readonly stoppedAdvice?: string;
  /** Open or update a pull request instead of fast-forwarding the target branch. */
  readonly pr?: boolean;
  /** Leave the target branch alone (issue mode publishes the branch itself). */
  readonly noLanding?: boolean;
  /** --repo was given, so GIT_REPO_URL is not used. */
  readonly repoGiven?: boolean;
  /** A display opened earlier (the demo's dashboard, up while the sample is made). */
  readonly display?: RunDisplay;
  /**
   * For `resume`: where `config` came from, so the run's recorded settings can be restored with
   * only these flags overriding them. Without it, `config` is used as given.
   */
  readonly configSources?: ConfigSources;
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
export async function executeRun(runOptions: RunCommandOptions): Promise<RunOutcome> {
  // A resumed run runs as it was started: its settings are read from its log before the display,
  // models, budgets and sandboxes are set up from them.
  const resumed = runOptions.request === null ? await prepareResume(runOptions) : null;
  const options =
    resumed === null ? runOptions : { ...runOptions, config: resumed.config, secrets: resumed.secrets };
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
    beforeStart: () =>
      setupAbort.abort(new AbortError("Stopped before the run started: no run was recorded.")),
  });
  display.onInterrupt(interrupts.interrupt);
  process.on("SIGINT", interrupts.interrupt);
  process.on("SIGTERM", interrupts.interrupt);
  try {
    return await executeWithDisplay(options, display, interrupts, setupAbort, resumed);
  } catch (error) {
    resumed?.store.close();
    throw error;
  } finally {
    process.off("SIGINT", interrupts.interrupt);
    process.off("SIGTERM", interrupts.interrupt);
    interrupts.dispose();
    setupAbort.abort();
    await display.close();
  }
}

/** `resume`: the repository, the run and the settings it was started with. */
async function prepareResume(options: RunCommandOptions): Promise<ResumableRun & { readonly repo: string }> {
  const { config, env } = options;
  const remoteUrl = options.repoGiven ? undefined : config.GIT_REPO_URL;
  const repoPath =
    remoteUrl === undefined ? options.repo : await remoteWorkspace(remoteUrl, config.GIT_MAIN_BRANCH, env);
  const { repo } = await checkRepository(repoPath, config);
  const run = openResumable(repo, {
    runId: options.runId,
    config,
    secrets: options.secrets,
    sources: options.configSources,
  });
  return { ...run, repo };
}

async function executeWithDisplay(
  options: RunCommandOptions,
  display: RunDisplay,
  interrupts: RunInterrupts,
  setupAbort: AbortController,
  resumed: (ResumableRun & { readonly repo: string }) | null,
): Promise<RunOutcome> {
  const { config, output, env } = options;
  const { isolation, remoteUrl, repo, models, destination, github } = await preflight(
    options,
    display,
    setupAbort.signal,
    resumed,
  );
  const stateDir = stateDirOf(repo);
  mkdirSync(stateDir, { recursive: true });
  const store = resumed?.store ?? new SqliteStore(databaseOf(repo), { clock: systemClock });
  const runId = resumed?.runId ?? new RandomIdSource().runId(systemClock.now());
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
    // The run log is the readable copy; the record (longshot.db) decides whether the run goes on.
    onFileError: (error) =>
      display.note(
        paint(
          output,
          "yellow",
          `warning: the run log cannot be written (${messageOf(error)}); it stops here.`,
        ),
      ),
  });
  let wired: ComposedRun | null = null;
  let stopRun: (() => void) | null = null;
  try {
    wired = await composeRun({
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
    if (isolation.status === "off") display.note(paint(output, "red", `WARNING: ${isolation.detail}`));
    for (const note of overrideNotes(resumed?.overrides ?? [])) display.note(note);
    display.note(
      `${options.request === null ? "Resuming" : "Starting"} run ${paint(output, "bold", runId)} on ${repo} (models: ${models.description}; sandbox: ${sandboxes.name}; workers: ${config.MAX_WORKERS}).`,
    );
    options.onStarted?.(runId);
    // The dashboard folds the whole log (a resumed run shows its history); lines start from now.
    const events = engine.events(display.mode === "dashboard" ? 0 : engine.state.lastSeq);
    // Plain lines leave the run's end to the summary line printed after the reports: said once.
    const tapped = interrupts.tap(events);
    const shown = display.show(display.mode === "plain" ? withoutRunEnd(tapped) : tapped, {
      pause: () => engine.send({ type: "pause" }),
      resume: () => engine.send({ type: "resume" }),
      cancelTask: (taskId) => engine.send({ type: "cancel-task", taskId }),
      setMaxWorkers: (value) => engine.send({ type: "set-max-workers", value }),
      quit: () => engine.send({ type: "stop" }),
      interrupt: interrupts.interrupt,
    });
    const logged = logEvents(engine, engine.state.lastSeq, logger);
    const result = await engine.run(opened.start).catch(async (error: unknown) => {
      if (!(error instanceof RunRecordError)) throw error;
      await display.close();
      const fix = error.diskFull ? "free disk space" : "fix what stopped it";
      // The demo's advice, where a resume cannot work; otherwise the resume command.
      const next =
        options.stoppedAdvice === undefined
          ? `To go on, ${fix}, then: ${resumeCommand(options, runId)}`
          : `${upperFirst(fix)} first. ${options.stoppedAdvice}`;
      throw new EnvironmentError(`${error.message} ${next}`, { cause: error });
    });
    await Promise.all([shown, logged]);
    await display.close();
    const { message, reportMarkdown } = await finishRun({
      config,
      repo,
      store,
      stateDir,
      runId,
      request: options.request,
      result,
      opened,
      emit: (event) => opened.engine.append(event),
      destination,
      github,
    });
    sayHowItEnded(options, { runId, result, stateDir, integrationBranch: opened.integrationBranch, message });
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

/** What a run needs checked or chosen before its first side effect. */
interface Preflight {
  readonly isolation: IsolationReport;
  readonly remoteUrl: string | undefined;
  readonly repo: string;
  readonly models: ModelSetup;
  readonly destination: RunDestination;
  readonly github: GitHubConnection | null;
}

/**
 * Everything checked before anything is written: isolation (no isolation, no run unless the user
 * opted out), the repository (cloned or updated for GIT_REPO_URL) and the spec, the model
 * endpoints, the sandbox services and the harness, and where a green run lands.
 */
async function preflight(
  options: RunCommandOptions,
  display: RunDisplay,
  signal: AbortSignal,
  resumed: (ResumableRun & { readonly repo: string }) | null,
): Promise<Preflight> {
  const { config, env } = options;
  const isolation = await requireIsolation(config, { path: toolPath(config), env });
  const remoteUrl = options.repoGiven ? undefined : config.GIT_REPO_URL;
  const repoPath =
    resumed !== null || remoteUrl === undefined
      ? (resumed?.repo ?? options.repo)
      : await remoteWorkspace(remoteUrl, config.GIT_MAIN_BRANCH, env);
  const { repo } = resumed ?? (await checkRepository(repoPath, config));
  if (options.request !== null) checkSpec(repo, options.request);
  display.progress("starting: checking the model endpoints…");
  const models = await setupModels(config, signal);
  // A CLI harness on a sandbox that cannot reach the model gateway: known without asking anyone.
  refuseUnreachableGateway(config);
  await checkSandboxServices(config, { signal });
  // A CLI harness the sandbox cannot run would fail every attempt: find out before planning.
  await assertHarnessReady(config, silentLogger(), signal);
  const destination: RunDestination = {
    pr: options.pr === true,
    ...(remoteUrl === undefined ? {} : { remoteUrl }),
    ...(options.noLanding ? { noLanding: true } : {}),
  };
  const github = await prepareFinish(destination, { config, repo, env, signal });
  return { isolation, remoteUrl, repo, models, destination, github };
}

/** The command that continues the run: with `--repo` when it was started on another repository than the one here. */
function resumeCommand(options: RunCommandOptions, runId: string): string {
  const elsewhere = options.repoGiven === true && repositoryTop(process.cwd()) !== resolve(options.repo);
  return `longshot resume ${runId}${elsewhere ? ` --repo ${resolve(options.repo)}` : ""}`;
}

/**
 * The end of a run on the terminal: what happened to the target branch and how to go on, the
 * summary line, and for scripts one line on stdout, `<run> <status> <commit> <report>`.
 */
function sayHowItEnded(
  options: RunCommandOptions,
  end: {
    readonly runId: string;
    readonly result: RunResult;
    readonly stateDir: string;
    readonly integrationBranch: string;
    /** What finishing the run had to say, which then replaces the advice. */
    readonly message: string | null;
  },
): void {
  const { config, output } = options;
  const { runId, result, message } = end;
  const resume = resumeCommand(options, runId);
  if (message !== null) output.err(message);
  else if (result.interrupted || result.status === "stopped") {
    output.err(options.stoppedAdvice ?? `Run ${runId} stopped; continue it with: ${resume}`);
  } else if (result.status === "red" && result.reason.startsWith(budgetStopPrefix)) {
    output.err(
      `${config.GIT_MAIN_BRANCH} was not moved. To go on with a larger budget: ${resume} --max-cost USD, --max-tokens N or --max-time S`,
    );
  } else if (result.status !== "green") {
    output.err(`${config.GIT_MAIN_BRANCH} was not moved; the work is on ${end.integrationBranch}.`);
  }
  const report = join(end.stateDir, "runs", runId, "report.html");
  const summary = `Run ${runId} ended ${result.status}: ${result.reason}. Report: ${report}`;
  output.err(result.status === "green" ? paint(output, "green", summary) : paint(output, "red", summary));
  if (!output.isTty && options.mode !== "json") output.out(resultLine(runId, result, report));
}

/** The result line a script reads from stdout: run id, status, commit, report path. */
export function resultLine(runId: string, result: RunResult, reportPath: string): string {
  return `${runId} ${result.status} ${result.head || "-"} ${reportPath}`;
}

async function* withoutRunEnd(events: AsyncIterable<LongshotEvent>): AsyncIterable<LongshotEvent> {
  for await (const event of events) if (event.type !== "run-end") yield event;
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
