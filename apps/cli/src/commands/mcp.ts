import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { type Config, createLogger, RandomIdSource, systemClock } from "@longshot/core";
import { InProcessRunService, serveHttp, serveStdio, startOptionsToConfig } from "@longshot/mcp-server";
import { refuseUnreachableGateway } from "../harness-check.js";
import { requireIsolation } from "../isolation-probe.js";
import { landTarget } from "../land-target.js";
import type { Output } from "../output.js";
import { renderMarkdownReport } from "../report/index.js";
import { bubblewrapBinary, checkRepository, checkSpec, setupModels, toolPath } from "../run-context.js";
import { checkSandboxServices } from "../sandbox-preflight.js";
import { wireRun, writeReports } from "../wire-run.js";

export interface McpCommandOptions {
  /** Configuration for a given set of per-run settings (flags > options > env > .env > defaults). */
  readonly configFor: (overrides: Readonly<Record<string, string>>) => {
    config: Config;
    secrets: readonly string[];
  };
  readonly repo: string;
  readonly http: boolean;
  readonly port: number;
  readonly token: string | undefined;
  readonly output: Output;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * `longshot mcp`: serves the Model Context Protocol over stdio (stdout is the protocol, so
 * nothing else is printed there) or over HTTP on 127.0.0.1 with a bearer token. Runs started
 * here are the same runs the CLI starts: same store, same lock, visible in `longshot runs`.
 */
export async function mcpCommand(options: McpCommandOptions): Promise<number> {
  const { output, env } = options;
  const base = options.configFor({});
  const logger = createLogger({
    file: join(options.repo, ".git", "longshot", "mcp.log"),
    level: base.config.LOG_LEVEL,
    secrets: base.secrets,
  });
  const service = new InProcessRunService({
    defaultRepo: options.repo,
    clock: systemClock,
    ids: new RandomIdSource(),
    pid: process.pid,
    logger,
    report: ({ store, runId }) => renderMarkdownReport(store, runId),
    open: async ({ repo: repoArg, runId, request, options: startOptions, store, stateDir, signal }) => {
      const { config } = options.configFor(startOptionsToConfig(startOptions));
      const { repo } = await checkRepository(repoArg, config);
      if (request !== null) checkSpec(repo, request);
      await requireIsolation(config, toolPath(config), {}, bubblewrapBinary(env));
      const models = await setupModels(config, signal);
      refuseUnreachableGateway(config);
      await checkSandboxServices(config, { signal });
      const { opened, close } = await wireRun({
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
      });
      return {
        engine: opened.engine,
        start: opened.start,
        dispose: async (ending) => {
          try {
            if (ending.kind === "ended" && !ending.result.interrupted) {
              await opened.restoreHidden();
              if (ending.result.status === "green") {
                await landTarget({
                  git: opened.git,
                  result: ending.result,
                  integrationBranch: opened.integrationBranch,
                  targetBranch: config.GIT_MAIN_BRANCH,
                  emit: (event) => opened.engine.append(event),
                });
              }
            }
            writeReports(store, stateDir, runId);
          } finally {
            await close();
          }
        },
      };
    },
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
