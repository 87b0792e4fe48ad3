import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult, Progress } from "@modelcontextprotocol/sdk/types.js";
import { type FakeLlmServer, type SampleModule, type SwarmStats, startSampleSwarm } from "@longshot/testkit";
import { perTest } from "@longshot/testkit/per-test";

/** The built test server; `pnpm exec tsc -b` builds it before the tests run. */
export const binPath = fileURLToPath(new URL("../../dist/bin/mcp-test-server.js", import.meta.url));

/** A sample repository and the fake model playing the swarm on it. */
export interface McpScenario {
  readonly dir: string;
  readonly repo: string;
  readonly server: FakeLlmServer;
  readonly stats: SwarmStats;
  readonly modules: readonly SampleModule[];
  /** The environment the server process gets: the fake model's endpoint and the checks. */
  readonly env: Record<string, string>;
  git(...args: string[]): string;
  close(): Promise<void>;
}

export async function mcpScenario(options: { readonly modules: number }): Promise<McpScenario> {
  if (!existsSync(binPath)) throw new Error(`${binPath} is missing; run \`pnpm exec tsc -b\` first`);
  const dir = mkdtempSync(join(tmpdir(), "longshot-mcp-"));
  const { repo, modules, server, stats, env: settings } = await startSampleSwarm(join(dir, "repo"), {
    modules: options.modules,
    workers: 4,
  });
  const env = { ...getDefaultEnvironment(), PATH: process.env.PATH ?? "", ...settings };
  return {
    dir,
    repo,
    server,
    stats,
    modules,
    env,
    git: (...args) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim(),
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A connected client and the server's stderr, for diagnostics. */
export interface Connected {
  readonly client: Client;
  readonly stderr: () => string;
}

/** An MCP client talking to the test server spawned over stdio, and the server's stderr. */
export interface StdioSession extends Connected {
  /** Kills the server process with SIGKILL (a crash) and waits for the connection to close. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

/**
 * For a test file: `mcpScenario`, each scenario closed after its test. Register it before the
 * servers' openers, so that their processes end first.
 */
export function scenarioPerTest(): (options: { readonly modules: number }) => Promise<McpScenario> {
  return perTest(mcpScenario, (scenario) => scenario.close());
}

/** For a test file: `connectStdio`, each session closed after its test. */
export function stdioPerTest(): (scenario: McpScenario) => Promise<StdioSession> {
  return perTest(connectStdio, (session) => session.close());
}

export async function connectStdio(scenario: McpScenario): Promise<StdioSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [binPath, "--repo", scenario.repo],
    env: scenario.env,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: "longshot-test", version: "1.0.0" });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    async kill() {
      const closed = new Promise<void>((resolve) => {
        client.onclose = () => resolve();
      });
      if (transport.pid !== null) process.kill(transport.pid, "SIGKILL");
      await closed;
    },
    close: () => client.close(),
  };
}

/** For a test file: `spawnHttp`, each server stopped after its test. */
export function httpPerTest(): (scenario: McpScenario, token: string) => Promise<HttpProcess> {
  return perTest(spawnHttp, (server) => server.stop());
}

/** The test server spawned with `--http`, and the URL it printed. */
export interface HttpProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly stderr: () => string;
  stop(): Promise<void>;
}

export async function spawnHttp(scenario: McpScenario, token: string): Promise<HttpProcess> {
  const child = spawn(
    process.execPath,
    [binPath, "--repo", scenario.repo, "--http", "--port", "0", "--token", token],
    { env: scenario.env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const line = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the server exited with ${code}: ${stderr}`)));
  });
  lines.close();
  const { url } = JSON.parse(line) as { url: string };
  return {
    url,
    child,
    stderr: () => stderr,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The text of a tool result (its first content block). */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === "text" ? first.text : "";
}

/** The structured content of a successful tool result; fails the test with the error text otherwise. */
export function dataOf(result: CallToolResult): Record<string, unknown> {
  if (result.isError) throw new Error(`tool error: ${textOf(result)}`);
  return (result.structuredContent ?? {}) as Record<string, unknown>;
}

/** Calls a tool and returns its result (tool errors included, protocol errors thrown). */
export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  options: Parameters<Client["callTool"]>[2] = {},
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, undefined, options)) as CallToolResult;
}

export interface RunData {
  runId: string;
  status: string;
  live: boolean;
  progress: { total: number; settled: number; landed: number; cancelled: number; failed: number };
}

export interface TaskRow {
  id: string;
  title: string;
  state: string;
}

/** Calls wait_run until the run has ended, collecting progress notifications. */
export async function waitUntilEnded(
  open: Connected,
  runId: string,
  progress: Progress[] = [],
): Promise<RunData> {
  for (let round = 0; round < 20; round++) {
    const result = await call(
      open.client,
      "wait_run",
      { runId, timeoutSeconds: 30 },
      { onprogress: (update) => progress.push(update), resetTimeoutOnProgress: true, timeout: 45_000 },
    );
    const run = dataOf(result) as unknown as RunData;
    if (!run.live) return run;
  }
  throw new Error(`run ${runId} did not end; server stderr:\n${open.stderr()}`);
}

/** Polls get_run until the planner has added `count` tasks. */
export async function untilPlanned(open: Connected, runId: string, count: number): Promise<void> {
  for (let round = 0; round < 300; round++) {
    const run = dataOf(await call(open.client, "get_run", { runId })) as unknown as RunData;
    if (run.progress.total >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the plan of ${runId} never reached ${count} tasks; server stderr:\n${open.stderr()}`);
}
