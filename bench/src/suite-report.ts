import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, relative } from "node:path";
import type { Figure } from "./figure.ts";
import { describeLatencyModel, type LatencyModel } from "./latency-model.ts";
import { type ChartCurve, renderChart } from "./render-chart.ts";
import { renderTable, summarize } from "./render-table.ts";
import type { SuiteSizes } from "./suite-sizes.ts";
import type { SwarmConfig } from "./swarm-types.ts";

export interface SuiteOutcome {
  readonly root: string;
  readonly sizes: SuiteSizes;
  /** Only some parts ran (LONGSHOT_BENCH_ONLY): the results go beside the full suite's, not over them. */
  readonly partial: boolean;
  readonly started: Date;
  readonly loadAtStart: readonly number[];
  readonly figures: readonly Figure[];
  readonly sections: Record<string, unknown>;
  readonly errors: readonly string[];
  readonly curves: readonly ChartCurve[];
  readonly log: (line: string) => void;
}

/** The chart's legend entry for a swarm run. */
export function curveLabel(config: SwarmConfig): string {
  const overlap = config.sharedIndexEvery > 0 ? ", overlapping" : "";
  return `${config.tasks} tasks × ${config.workers} workers${overlap}`;
}

/** The chart's second line: machine, model and verdicts. */
export function chartSubtitle(
  cpuCount: number,
  node: string,
  load: number | undefined,
  latency: LatencyModel,
  figures: readonly Figure[],
): string {
  return `${cpuCount} cores, Node ${node}, load ${load?.toFixed(1)} at start; model latency lognormal, median ${latency.medianMs} ms, p95 ${latency.p95Ms} ms; ${summarize(figures)}`;
}

const rounded = (values: readonly number[]) => values.map((value) => Math.round(value * 100) / 100);

/** How the swarm runs check health, in one sentence. */
export function healthNote(sizes: SuiteSizes): string {
  const { buildCommand, testCommand, intervalSeconds } = sizes.landing.health;
  return `health checks on: build "${buildCommand}", test "${testCommand}", HEALTH_CHECK_INTERVAL ${intervalSeconds} s plus a coalesced sweep after each landing`;
}

/** Writes bench/results/<stem>.json and .svg and prints the table. */
export function writeSuiteReport(outcome: SuiteOutcome): void {
  const { root, sizes, started, figures, log } = outcome;
  const date = started.toISOString().slice(0, 10);
  const stem = `${date}${sizes.mode === "quick" ? "-quick" : ""}${outcome.partial ? "-partial" : ""}`;
  const durationS = Math.round((Date.now() - started.getTime()) / 1000);
  const latency = sizes.landing.latency;
  const latencyText = describeLatencyModel(latency);
  const report = {
    benchmark: "longshot-suite",
    mode: sizes.mode,
    partial: outcome.partial,
    date: started.toISOString(),
    durationS,
    budgetS: sizes.budgetSeconds,
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? "unknown",
      node: process.version,
      git: execFileSync("git", ["--version"], { encoding: "utf8" }).trim(),
      loadAverageAtStart: rounded(outcome.loadAtStart),
      loadAverageAtEnd: rounded(loadavg()),
    },
    latencyModel: { ...latency, description: latencyText },
    health: healthNote(sizes),
    figures,
    errors: outcome.errors,
    sections: outcome.sections,
  };
  const resultsDir = join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const jsonPath = join(resultsDir, `${stem}.json`);
  const svgPath = join(resultsDir, `${stem}.svg`);
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(
    svgPath,
    renderChart({
      title: `Longshot benchmarks, ${date} (${sizes.mode})`,
      subtitle: chartSubtitle(cpus().length, process.version, outcome.loadAtStart[0], latency, figures),
      curves: outcome.curves,
      figures,
    }),
  );
  log(
    `\nLongshot benchmark suite (${sizes.mode}), ${durationS} s on ${cpus().length} cores, load average ${outcome.loadAtStart[0]?.toFixed(1)} at start`,
  );
  log(`Model: ${latencyText}; tokens per call from the scripted swarm policy.`);
  log(`Swarm runs: ${healthNote(sizes)}.\n`);
  log(renderTable(figures));
  log(`\n${summarize(figures)}`);
  log(`results: ${relative(root, jsonPath)}, chart: ${relative(root, svgPath)}`);
}
