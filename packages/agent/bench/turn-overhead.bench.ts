// Turn-overhead benchmark: 200 built-in agents at once against a fake model server with zero
// latency (in a child process, so its CPU is not counted). Measures this process's CPU per
// agent turn, and subtracts a baseline of bare streaming HTTP calls to the same server, so the
// net figure is the agent loop's own overhead: model client, tool dispatch, events, bookkeeping.
//
// Usage: pnpm bench [-- <output.json>]   (default: <repo>/bench/results/agent-<date>.json)
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type NewEvent, systemClock } from "@longshot/core";
import { EndpointPool, ModelClient, oneModelForEveryRole } from "@longshot/llm";
import { BuiltinHarness } from "../dist/index.js";
import { memorySandbox } from "./memory-sandbox.ts";

const agents = Number(process.env.BENCH_AGENTS ?? "200");
const turnsPerAgent = Number(process.env.BENCH_TURNS ?? "10");
const goalMs = 5;
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../..");
const output =
  process.argv[2] ?? join(repoRoot, "bench/results", `agent-${new Date().toISOString().slice(0, 10)}.json`);

const moduleSource = Array.from(
  { length: 120 },
  (_, index) => `export const value${index} = ${index}; // line ${index}`,
).join("\n");

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const bin = join(here, "../node_modules/@longshot/testkit/dist/bin/fake-llm.js");
  const child = spawn(process.execPath, [bin, "--policy", join(here, "turn-policy.mjs"), "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, BENCH_TURNS: String(turnsPerAgent) },
  });
  if (child.stdout === null) throw new Error("no stdout");
  const lines = createInterface({ input: child.stdout });
  const [url] = (await once(lines, "line")) as [string];
  return { url: url.trim(), child };
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

async function runAgents(
  url: string,
  count: number,
): Promise<{ turns: number; cpuMs: number; wallMs: number; events: number }> {
  let events = 0;
  const emit = (_event: NewEvent): void => {
    events++;
  };
  const model = new ModelClient({
    pool: new EndpointPool([{ name: "fake", endpoint: url, apiKey: "bench", weight: 1 }]),
    models: oneModelForEveryRole("fake-model"),
    maxRetries: 0,
    emit,
  });
  const harness = new BuiltinHarness({
    languageModel: model,
    clock: systemClock,
    contextTokens: 128_000,
    author: { name: "Bench", email: "bench@longshot.invalid" },
    checks: [],
  });
  const limits = { maxTurns: turnsPerAgent + 5, wallTimeMs: 600_000, stuckTimeoutMs: 300_000 };
  const started = performance.now();
  const cpu = process.cpuUsage();
  const results = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      harness.run({
        task: {
          id: `task-${index}`,
          runId: "bench",
          title: "Benchmark task",
          description: "Read the module and finish.",
          acceptance: [],
          scope: ["src/"],
          context: "",
        },
        attempt: 1,
        sandbox: memorySandbox(`sb-${index}`, new Map([["src/module.ts", moduleSource]])),
        model: "fake-model",
        limits,
        signal: new AbortController().signal,
        emit,
      }),
    ),
  );
  const usedCpu = cpuMs(cpu);
  const failed = results.filter((result) => result.outcome !== "complete");
  if (failed.length > 0) throw new Error(`${failed.length} agents did not complete: ${failed[0]?.reason}`);
  return {
    turns: results.reduce((sum, result) => sum + result.turns, 0),
    cpuMs: usedCpu,
    wallMs: performance.now() - started,
    events,
  };
}

/** The same number of streamed chat calls, made with bare fetch and read to the end. */
async function runBaseline(url: string, calls: number, concurrency: number): Promise<{ cpuMs: number }> {
  const body = JSON.stringify({
    model: "fake-model",
    stream: true,
    messages: [
      { role: "system", content: "x".repeat(2000) },
      { role: "user", content: "Read the module and finish." },
    ],
  });
  let next = 0;
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        next++;
        const response = await fetch(`${url}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer bench" },
          body,
        });
        await response.text();
      }
    }),
  );
  return { cpuMs: cpuMs(cpu) };
}

const server = await startServer();
try {
  await runAgents(server.url, 10);
  await runBaseline(server.url, 200, 50);
  const measured = await runAgents(server.url, agents);
  const baseline = await runBaseline(server.url, measured.turns, agents);
  const cpuPerTurn = measured.cpuMs / measured.turns;
  const baselinePerCall = baseline.cpuMs / measured.turns;
  const net = cpuPerTurn - baselinePerCall;
  const result = {
    benchmark: "agent-turn-overhead",
    date: new Date().toISOString(),
    node: process.version,
    agents,
    turnsPerAgent,
    totalTurns: measured.turns,
    events: measured.events,
    wallMs: Math.round(measured.wallMs),
    cpuMsPerTurn: round(cpuPerTurn),
    baselineHttpCpuMsPerCall: round(baselinePerCall),
    netCpuMsPerTurn: round(net),
    goalMsPerTurn: goalMs,
    pass: net < goalMs,
  };
  await mkdir(dirname(output), { recursive: true });
  await writeFile(output, `${JSON.stringify(result, null, 2)}\n`);
  const rows: [string, string][] = [
    ["agents × turns", `${agents} × ${turnsPerAgent} = ${measured.turns} turns`],
    ["wall time", `${result.wallMs} ms`],
    ["CPU per turn (all)", `${result.cpuMsPerTurn} ms`],
    ["bare HTTP call (baseline)", `${result.baselineHttpCpuMsPerCall} ms`],
    [
      "CPU per turn (net)",
      `${result.netCpuMsPerTurn} ms  (goal < ${goalMs} ms: ${result.pass ? "PASS" : "FAIL"})`,
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  process.stdout.write(
    `${rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join("\n")}\nwritten to ${output}\n`,
  );
  process.exitCode = result.pass ? 0 : 1;
} finally {
  server.child.kill("SIGTERM");
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
