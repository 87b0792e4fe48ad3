#!/usr/bin/env node
/**
 * `longshot mcp` over the real engine, for tests and as the model of the CLI's wiring. The
 * configuration comes from the environment (in tests LLM_BASE_URL points at the fake model
 * server); runs use local worktree sandboxes and the reconciler's health checks; reports are the
 * plain `basicReport`.
 *
 *   mcp-test-server [--repo <path>]                          MCP over stdio
 *   mcp-test-server [--repo <path>] --http --port <n> --token <t>
 *                                                            streamable HTTP; prints {"url":…}
 *
 * stdin ending (stdio) or SIGTERM/SIGINT aborts the live runs (they stay resumable) and exits.
 */
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { createHarness } from "@longshot/agent";
import {
  createLogger,
  exitCodeOf,
  loadConfig,
  messageOf,
  RandomIdSource,
  systemClock,
  UserError,
} from "@longshot/core";
import { longshotIdentity, openRun, type RunEngine } from "@longshot/engine";
import { modelClientFromConfig } from "@longshot/llm";
import { defaultSandboxPath, WorktreeSandboxProvider } from "@longshot/sandbox";
import { InProcessRunService, type OpenedLiveRun, type OpenRunRequest } from "../in-process-run-service.js";
import { serveHttp } from "../serve-http.js";
import { serveStdio } from "../serve-stdio.js";
import { startOptionsToConfig } from "../start-run-options.js";
import { basicReport } from "./basic-report.js";

const env = process.env;
const logger = createLogger({ level: "warn", pretty: process.stderr });
/** This Node first, so the sample projects' TypeScript runs natively in checks and sandboxes. */
const toolPath = `${dirname(process.execPath)}:${defaultSandboxPath}`;

async function open(request: OpenRunRequest): Promise<OpenedLiveRun> {
  const { config } = loadConfig({ flags: startOptionsToConfig(request.options), env });
  if (config.SANDBOX_PROVIDER !== "local" || config.WORKER_HARNESS !== "builtin") {
    throw new UserError(
      "This test server runs only the built-in agent in local sandboxes; leave options.sandbox and options.harness unset.",
    );
  }
  const lifetime = new AbortController();
  let engine: RunEngine | null = null;
  const sandboxes = new WorktreeSandboxProvider({
    root: join(request.stateDir, "sandboxes"),
    path: toolPath,
    logger,
  });
  // Nothing to deliver: the test server leaves the target branch alone.
  const dispose = async (): Promise<null> => {
    lifetime.abort();
    await sandboxes.close();
    return null;
  };
  try {
    const { client } = await modelClientFromConfig(config, {
      signal: lifetime.signal,
      emit: (event) => engine?.append(event),
    });
    const checks = [
      ...(config.BUILD_COMMAND ? [{ name: "build", command: config.BUILD_COMMAND }] : []),
      ...(config.TEST_COMMAND ? [{ name: "test", command: config.TEST_COMMAND }] : []),
    ];
    const opened = await openRun({
      repoPath: request.repo,
      config,
      runId: request.runId,
      request: request.request,
      store: request.store,
      model: client,
      sandboxes,
      // What the app's composition root builds for WORKER_HARNESS=builtin without MCP_SERVERS.
      harness: createHarness("builtin", {
        languageModel: client,
        contextTokens: config.LLM_CONTEXT_TOKENS,
        clock: systemClock,
        author: longshotIdentity,
        checks,
      }),
      clock: systemClock,
      logger,
      stateDir: request.stateDir,
      checks,
      toolPath,
    });
    engine = opened.engine;
    return { engine: opened.engine, start: opened.start, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      repo: { type: "string" },
      http: { type: "boolean", default: false },
      port: { type: "string", default: "0" },
      token: { type: "string" },
    },
  });
  const service = new InProcessRunService({
    defaultRepo: values.repo ?? null,
    open,
    report: ({ store, runId }) => basicReport(store, runId),
    clock: systemClock,
    ids: new RandomIdSource(),
    pid: process.pid,
    logger,
  });
  let closeTransport: () => Promise<void> = async () => {};
  let stopping = false;
  const shutdown = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await closeTransport();
    await service.close({ abort: true, reason: "the MCP test server is shutting down" });
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown());
  process.once("SIGINT", () => void shutdown());
  if (values.http) {
    const http = await serveHttp(service, { port: Number(values.port), token: values.token ?? "", logger });
    process.stdout.write(`${JSON.stringify({ url: http.url })}\n`);
    closeTransport = () => http.close();
  } else {
    const connection = await serveStdio(service, { logger });
    closeTransport = () => connection.close();
    void connection.closed.then(() => shutdown());
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`mcp-test-server: ${messageOf(error)}\n`);
  process.exit(exitCodeOf(error));
});
