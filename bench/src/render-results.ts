/**
 * Re-renders a recorded suite run: rewrites its chart next to it and prints its table, without
 * running anything (for the README, or after a change to the chart's layout).
 *
 *   node src/render-results.ts results/<date>.json
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Figure } from "./figure.ts";
import type { LatencyModel } from "./latency-model.ts";
import { type ChartCurve, renderChart } from "./render-chart.ts";
import { renderTable, summarize } from "./render-table.ts";
import { chartSubtitle, curveLabel } from "./suite-report.ts";
import type { SwarmResult } from "./swarm-types.ts";

interface RecordedSuite {
  readonly mode: string;
  readonly date: string;
  readonly durationS: number;
  readonly machine: {
    readonly cpus: number;
    readonly node: string;
    readonly loadAverageAtStart: readonly number[];
  };
  readonly latencyModel: LatencyModel & { readonly description: string };
  readonly health: string;
  readonly figures: readonly Figure[];
  readonly sections: Record<string, unknown>;
}

function isSwarm(value: unknown): value is SwarmResult {
  return typeof value === "object" && value !== null && "curve" in value && "config" in value;
}

const path = process.argv[2];
if (path === undefined || !path.endsWith(".json")) throw new Error("usage: render-results.ts <results.json>");
const suite = JSON.parse(readFileSync(path, "utf8")) as RecordedSuite;
const curves: ChartCurve[] = Object.values(suite.sections)
  .filter(isSwarm)
  .map((result) => ({
    label: curveLabel(result.config),
    landedS: result.curve.landedS,
    idealS: result.curve.idealS,
  }));
const date = suite.date.slice(0, 10);
writeFileSync(
  path.replace(/\.json$/, ".svg"),
  renderChart({
    title: `Longshot benchmarks, ${date} (${suite.mode})`,
    subtitle: chartSubtitle(
      suite.machine.cpus,
      suite.machine.node,
      suite.machine.loadAverageAtStart[0],
      suite.latencyModel,
      suite.figures,
    ),
    curves,
    figures: suite.figures,
  }),
);
process.stdout.write(`${renderTable(suite.figures)}\n\n${summarize(suite.figures)}; ${suite.durationS} s\n`);
