/**
 * The Longshot benchmark suite: swarm scale, landing under overlapping scopes, merge queue,
 * sandboxes, model client and agent loop, each figure beside its goal. Writes
 * bench/results/<date>.json and <date>.svg (with `-quick` in quick mode) and prints the table.
 *
 *   pnpm bench                 full suite (about 15 minutes on 2 cores)
 *   pnpm bench -- --quick      small sizes, for CI (also LONGSHOT_BENCH_QUICK=1)
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { runCommand } from "./child-process.ts";
import { dockerAnswers } from "./docker-ping.ts";
import { type Figure, unmeasured } from "./figure.ts";
import {
  agentFigures,
  landingFigures,
  llmFigures,
  mergeQueueFigures,
  sandboxFigures,
  swarmFigures,
} from "./figures.ts";
import { describeLatencyModel } from "./latency-model.ts";
import {
  runAgentBench,
  runDockerBench,
  runLlmBench,
  runMergeQueueBench,
  runSandboxBench,
} from "./package-benches.ts";
import { type ChartCurve, renderChart } from "./render-chart.ts";
import { renderTable, summarize } from "./render-table.ts";
import { fullSizes, quickSizes } from "./suite-sizes.ts";
import type { SwarmConfig, SwarmResult } from "./swarm-types.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const quick = process.argv.includes("--quick") || process.env.LONGSHOT_BENCH_QUICK === "1";
const sizes = quick ? quickSizes : fullSizes;
const started = new Date();
const stem = `${started.toISOString().slice(0, 10)}${quick ? "-quick" : ""}`;
const resultsDir = join(root, "bench", "results");
const parts = mkdtempSync(join(tmpdir(), "longshot-bench-parts-"));
const figures: Figure[] = [];
const sections: Record<string, unknown> = {};
const errors: string[] = [];
const curves: ChartCurve[] = [];
const loadAtStart = loadavg();

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Runs one part of the suite; an error is recorded as an `error` row and the suite goes on. */
async function section(name: string, run: () => Promise<void>): Promise<void> {
  const begin = performance.now();
  log(`\n== ${name}`);
  try {
    await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    errors.push(`${name}: ${message}`);
    figures.push(unmeasured(name, "run", "error", message.split("\n")[0] ?? message));
  }
  log(`== ${name}: ${((performance.now() - begin) / 1000).toFixed(0)} s`);
}

async function runSwarm(config: SwarmConfig): Promise<SwarmResult> {
  const output = join(parts, `${config.name}.json`);
  const run = await runCommand(
    process.execPath,
    [join(here, "swarm-run.ts"), JSON.stringify(config), output],
    {
      cwd: here,
      prefix: `  [${config.name}]`,
    },
  );
  if (run.code !== 0)
    throw new Error(
      `swarm-run exited ${String(run.code)}: ${run.stderr.trim().split("\n").slice(-3).join(" / ")}`,
    );
  const result = JSON.parse(readFileSync(output, "utf8")) as SwarmResult;
  sections[config.name] = result;
  return result;
}

function curveOf(result: SwarmResult, label: string): ChartCurve {
  return { label, landedS: result.curve.landedS, idealS: result.curve.idealS };
}

function unwrap<T>(name: string, run: { result: T | null; error: string | null }): T {
  if (run.result === null) throw new Error(`${name} benchmark failed: ${run.error ?? "no result"}`);
  sections[name] = run.result;
  return run.result;
}

for (const config of sizes.swarms) {
  await section(`Swarm ${config.tasks}×${config.workers}`, async () => {
    const result = await runSwarm(config);
    figures.push(...swarmFigures(result, config.tasks >= 1_000));
    curves.push(curveOf(result, `${config.tasks} tasks × ${config.workers} workers`));
  });
}
await section(`Landing ${sizes.landing.tasks}×${sizes.landing.workers}`, async () => {
  const result = await runSwarm(sizes.landing);
  figures.push(...landingFigures(result));
  curves.push(curveOf(result, `${sizes.landing.tasks} × ${sizes.landing.workers}, overlapping`));
});
await section("Merge queue", async () => {
  const output = join(parts, "merge-queue.json");
  figures.push(
    ...mergeQueueFigures(unwrap("merge-queue", await runMergeQueueBench(root, sizes.branches, output))),
  );
});
await section("Sandboxes", async () => {
  const local = unwrap("sandbox", await runSandboxBench(root, join(parts, "sandbox.json")));
  const docker = (await dockerAnswers(process.env.DOCKER_HOST))
    ? unwrap("sandbox-docker", await runDockerBench(root, sizes.dockerIterations))
    : "skipped: no Docker engine";
  figures.push(...sandboxFigures(local, docker));
});
await section("Model client", async () => {
  figures.push(...llmFigures(unwrap("llm", await runLlmBench(root, join(parts, "llm.json")))));
});
await section("Agent loop", async () => {
  const output = join(parts, "agent.json");
  figures.push(
    ...agentFigures(unwrap("agent", await runAgentBench(root, sizes.agents, sizes.agentTurns, output))),
  );
});

const durationS = Math.round((Date.now() - started.getTime()) / 1000);
const latency = describeLatencyModel(sizes.swarms[0]!.latency);
const healthNote = `health checks on: build "${sizes.landing.health.buildCommand}", test "${sizes.landing.health.testCommand}", HEALTH_CHECK_INTERVAL ${sizes.landing.health.intervalSeconds} s plus a coalesced sweep after each landing`;
const report = {
  benchmark: "longshot-suite",
  mode: sizes.mode,
  date: started.toISOString(),
  durationS,
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    node: process.version,
    git: execFileSync("git", ["--version"], { encoding: "utf8" }).trim(),
    loadAverageAtStart: loadAtStart.map((value) => Math.round(value * 100) / 100),
    loadAverageAtEnd: loadavg().map((value) => Math.round(value * 100) / 100),
  },
  latencyModel: { ...sizes.swarms[0]!.latency, description: latency },
  health: healthNote,
  figures,
  errors,
  sections,
};
mkdirSync(resultsDir, { recursive: true });
const jsonPath = join(resultsDir, `${stem}.json`);
const svgPath = join(resultsDir, `${stem}.svg`);
writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(
  svgPath,
  renderChart({
    title: `Longshot benchmarks, ${started.toISOString().slice(0, 10)} (${sizes.mode})`,
    subtitle: `${cpus().length} cores, Node ${process.version}; model: lognormal latency, median ${sizes.swarms[0]!.latency.medianMs} ms, p95 ${sizes.swarms[0]!.latency.p95Ms} ms; ${summarize(figures)}`,
    curves,
    figures,
  }),
);
rmSync(parts, { recursive: true, force: true });

log(
  `\nLongshot benchmark suite (${sizes.mode}), ${durationS} s on ${cpus().length} cores, load ${loadAtStart[0]?.toFixed(1)} at start`,
);
log(`Model: ${latency}; tokens per call from the scripted swarm policy.`);
log(`Swarm runs: ${healthNote}.\n`);
log(renderTable(figures));
log(`\n${summarize(figures)}`);
log(`results: ${relative(root, jsonPath)}, chart: ${relative(root, svgPath)}`);
if (errors.length > 0) {
  log(`\n${errors.length} part(s) failed:\n${errors.map((error) => `- ${error}`).join("\n")}`);
  process.exitCode = 1;
}
