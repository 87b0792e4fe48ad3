import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { type Config, createLogger, type Logger, RandomIdSource, systemClock } from "@longshot/core";
import {
  InProcessRunService,
  type OpenedLiveRun,
  type OpenRunRequest,
  serveHttp,
  serveStdio,
  startOptionsToConfig,
} from "@longshot/mcp-server";
import { composeRun } from "../compose-run.js";
import { finishRun, prepareFinish, type RunDestination } from "../finish-run.js";
import { refuseUnreachableGateway } from "../harness-check.js";
import { requireIsolation } from "../isolation-probe.js";
import type { Output } from "../output.js";
import { remoteWorkspace } from "../remote-workspace.js";
import { renderMarkdownReport, writeReports } from "../report/index.js";
import { checkRepository, checkSpec, setupModels, stateDirOf, toolPath } from "../run-context.js";
import { checkSandboxServices } from "../sandbox-preflight.js";

export interface McpCommandOptions {
  /** Configuration for a given set of per-run settings (flags > options > env > .env > defaults). */
  readonly configFor: (overrides: Readonly<Record<string, string>>) => {
    config: Config;
    secrets: readonly string[];
  };
  readonly repo: string;
  /** --repo was given, so GIT_REPO_URL is not used (as for `longshot "<request>"`). */
  readonly repoGiven?: boolean;
  readonly http: boolean;
  readonly port: number;
  readonly token: string | undefined;
  readonly output: Output;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * `longshot mcp`: serves the Model Context Protocol over stdio (stdout is the protocol, so
 * nothing else is printed there) or over HTTP on 127.0.0.1 with a bearer token. Runs started
 * here are the same runs the CLI starts: same store, same lock, visible in `longshot runs`, and
 * they end the same way (`finishRun`): with GIT_REPO_URL set and no --repo, the default
 * repository is the remote's clone in longshot's workspace and green runs are pushed to it;
 * `options.pr` opens a pull request as `--pr` does.
 */
export async function mcpCommand(options: McpCommandOptions): Promise<number> {
  const { output, env } = options;
  const base = options.configFor({});
  const remoteUrl = options.repoGiven ? undefined : base.config.GIT_REPO_URL;
  const defaultRepo =
    remoteUrl === undefined
      ? options.repo
      : await remoteWorkspace(remoteUrl, base.config.GIT_MAIN_BRANCH, env);
  const logger = createLogger({
    file: join(stateDirOf(defaultRepo), "mcp.log"),
    level: base.config.LOG_LEVEL,
    secrets: base.secrets,
  });
  const service = new InProcessRunService({
    defaultRepo,
    clock: systemClock,
    ids: new RandomIdSource(),
    pid: process.pid,
    logger,
    report: ({ store, runId }) => renderMarkdownReport(store, runId),
    open: (request) => openLiveRun({ options, logger, remoteUrl, defaultRepo }, request),
  });
  let stops = 0;
  const stop = (): void => {
    stops += 1;
    void service.close({ abort: stops > 1 });
  };
  if (options.http) {
    const token = options.token ?? env.LONGSHOT_MCP_TOKEN ?? randomBytes(24).toString("base64url");
    const server = await serveHttp(service, { port: options.port, token, logger });
    output.err(`longshot MCP server on ${server.url}`);
    if (options.token === undefined && env.LONGSHOT_MCP_TOKEN === undefined)
      output.err(`bearer token: ${token}`);
    await new Promise<void>((resolve) => {
      const onSignal = (): void => {
        stop();
        if (stops === 1)
          void server
            .close()
            .then(() => service.close({ abort: false }))
            .then(resolve);
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
    });
    return 0;
  }
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const connection = await serveStdio(service, { logger });
  await connection.closed;
  await service.close({ abort: false });
  return 0;
}

/** What every run this server opens shares. */
interface McpRunContext {
  readonly options: McpCommandOptions;
  readonly logger: Logger;
  /** GIT_REPO_URL when the server works in its clone (no --repo). */
  readonly remoteUrl: string | undefined;
  /** The repository tools use when given none: --repo, the working directory, or the clone. */
  readonly defaultRepo: string;
}

/**
 * Checks and wires one run as `longshot "<request>"` does, and ends it the same way
 * (`finishRun`): a pull request for `options.pr`, a push to GIT_REPO_URL when the run is in its
 * clone, else a fast-forward of the local target branch.
 */
async function openLiveRun(context: McpRunContext, opening: OpenRunRequest): Promise<OpenedLiveRun> {
  const { options, logger, remoteUrl, defaultRepo } = context;
  const { env } = options;
  const { repo: repoArg, runId, request, options: startOptions, store, stateDir, signal } = opening;
  const { config } = options.configFor(startOptionsToConfig(startOptions));
  // The remote's clone is brought up to date as `longshot` does before a run; other paths are local runs.
  const remote = remoteUrl !== undefined && resolve(repoArg) === resolve(defaultRepo) ? remoteUrl : undefined;
  if (remote !== undefined) await remoteWorkspace(remote, config.GIT_MAIN_BRANCH, env);
  const { repo } = await checkRepository(repoArg, config);
  if (request !== null) checkSpec(repo, request);
  const destination: RunDestination = {
    pr: startOptions.pr === true,
    ...(remote === undefined ? {} : { remoteUrl: remote }),
  };
  const github = await prepareFinish(destination, { config, repo, env, signal });
  await requireIsolation(config, { path: toolPath(config), env });
  const models = await setupModels(config, signal);
  refuseUnreachableGateway(config);
  await checkSandboxServices(config, { signal });
  const { opened, close } = await composeRun({
    config,
    repo,
    runId,
    request,
    store,
    stateDir,
    models,
    env,
    logger,
    signal,
    ...(remote === undefined ? {} : { remote: "origin" }),
  });
  return {
    engine: opened.engine,
    start: opened.start,
    dispose: async (ending) => {
      try {
        if (ending.kind === "crashed") {
          writeReports(store, stateDir, runId);
          return null;
        }
        const finished = await finishRun({
          config,
          repo,
          store,
          stateDir,
          runId,
          request,
          result: ending.result,
          opened,
          emit: (event) => opened.engine.append(event),
          destination,
          github,
        });
        if (finished.message !== null) logger.info({ runId }, finished.message);
        return finished.message;
      } finally {
        await close();
      }
    },
  };
}
