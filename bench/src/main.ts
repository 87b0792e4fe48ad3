/**
 * The Longshot benchmark suite: swarm scale, landing under overlapping scopes, merge queue,
 * sandboxes, model client, agent loop and CLI start, each figure beside its goal. Writes
 * bench/results/<date>.json and <date>.svg (`<date>-quick.*` in quick mode) and prints the table.
 *
 *   pnpm bench                 full suite (budget 20 minutes on 2 cores)
 *   pnpm bench -- --quick      small sizes, for CI (also LONGSHOT_BENCH_QUICK=1)
 *   LONGSHOT_BENCH_ONLY=swarm,landing node src/main.ts
 *                              only the parts named (see part-filter.ts): each swarm scenario
 *                              runs to its own cap, results go to <date>-partial.*
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { orchestratorNodeFlags } from "@longshot/cli";
import { runCommand } from "./child-process.ts";
import { cliStartFigures, runCliStartBench } from "./cli-start.ts";
import { dockerAnswers } from "./docker-ping.ts";
import { type Figure, unmeasured } from "./figure.ts";
import {
  agentFigures,
  landingFigures,
  llmFigures,
  mergeQueueFigures,
  realRegimeFigures,
  sandboxFigures,
  swarmFigures,
  sweepFigures,
} from "./figures.ts";
import {
  type MergeQueueResult,
  runAgentBench,
  runDockerBench,
  runLlmBench,
  runMergeQueueBench,
  runSandboxBench,
  runSweepBench,
} from "./package-benches.ts";
import { packageParts, partFilter } from "./part-filter.ts";
import type { ChartCurve } from "./render-chart.ts";
import { curveLabel, writeSuiteReport } from "./suite-report.ts";
import { fullSizes, quickSizes } from "./suite-sizes.ts";
import type { SwarmConfig, SwarmResult } from "./swarm-types.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const quick = process.argv.includes("--quick") || process.env.LONGSHOT_BENCH_QUICK === "1";
const sizes = quick ? quickSizes : fullSizes;
const swarms = [...sizes.swarms, sizes.realRegime, sizes.landing];
const only = (() => {
  try {
    return partFilter(process.env.LONGSHOT_BENCH_ONLY, [
      ...packageParts,
      ...swarms.map((config) => config.name),
    ]);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
})();
const started = new Date();
const deadline = started.getTime() + sizes.budgetSeconds * 1000;
const parts = mkdtempSync(join(tmpdir(), "longshot-bench-parts-"));
/** Figures by their place in the table (the issue's order), whatever order the parts run in. */
const placed: { readonly place: number; readonly figures: readonly Figure[] }[] = [];
const sections: Record<string, unknown> = {};
const errors: string[] = [];
const curves: ChartCurve[] = [];
const loadAtStart = loadavg();

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Runs one part of the suite (unless the filter leaves `id` out); an error is recorded as an
 * `error` row and the suite goes on.
 */
async function part(
  place: number,
  id: string,
  name: string,
  run: () => Promise<readonly Figure[]>,
): Promise<void> {
  if (!only.includes(id)) return;
  const begin = performance.now();
  log(`\n== ${name}`);
  try {
    placed.push({ place, figures: await run() });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    errors.push(`${name}: ${message}`);
    placed.push({ place, figures: [unmeasured(name, "run", "error", message.split("\n")[0] ?? message)] });
  }
  log(`== ${name}: ${((performance.now() - begin) / 1000).toFixed(0)} s`);
}

function unwrap<T>(name: string, run: { result: T | null; error: string | null }): T {
  if (run.result === null) throw new Error(`${name} benchmark failed: ${run.error ?? "no result"}`);
  sections[name] = run.result;
  return run.result;
}

/**
 * MAX_WALL_TIME for a swarm run: its own cap, cut so the runs after it keep their minimum. A
 * partial run gives every scenario its own cap, so two partial runs compare like with like.
 */
function capFor(config: SwarmConfig, runsAfter: number): number {
  if (!only.complete) return config.maxWallSeconds;
  const remaining = (deadline - Date.now()) / 1000;
  const reserve = runsAfter * (sizes.minimumSwarmSeconds + sizes.swarmSetupSeconds) + sizes.swarmSetupSeconds;
  return Math.max(
    sizes.minimumSwarmSeconds,
    Math.min(config.maxWallSeconds, Math.floor(remaining - reserve)),
  );
}

async function runSwarm(base: SwarmConfig, runsAfter: number): Promise<SwarmResult> {
  const config = { ...base, maxWallSeconds: capFor(base, runsAfter) };
  log(`  MAX_WALL_TIME ${config.maxWallSeconds} s (suite budget ${sizes.budgetSeconds} s)`);
  const output = join(parts, `${config.name}.json`);
  const run = await runCommand(
    process.execPath,
    // Started as `longshot` starts a run: with the Node flags of an orchestrator.
    [...orchestratorNodeFlags, join(here, "swarm-run.ts"), JSON.stringify(config), output],
    {
      cwd: here,
      prefix: `  [${config.name}]`,
    },
  );
  if (run.code !== 0) {
    const tail = run.stderr.trim().split("\n").slice(-3).join(" / ");
    throw new Error(`swarm-run exited ${String(run.code)}: ${tail}`);
  }
  const result = JSON.parse(readFileSync(output, "utf8")) as SwarmResult;
  sections[config.name] = result;
  curves.push({
    label: curveLabel(config),
    landedS: result.curve.landedS,
    idealS: result.curve.idealS,
  });
  return result;
}

// The package benchmarks first: their sizes are fixed, so the swarms get what is left.
await part(3, "merge-queue", "Merge queue", async () => {
  const output = join(parts, "merge-queue.json");
  return mergeQueueFigures(unwrap("merge-queue", await runMergeQueueBench(root, sizes.branches, output)));
});
await part(4, "sandboxes", "Sandboxes", async () => {
  const local = unwrap("sandbox", await runSandboxBench(root, join(parts, "sandbox.json")));
  const docker = (await dockerAnswers(process.env.DOCKER_HOST))
    ? unwrap("sandbox-docker", await runDockerBench(root, sizes.dockerIterations))
    : "skipped: no Docker engine";
  const sweep = unwrap(
    "reconciler",
    await runSweepBench(root, sizes.sweepLandings, join(parts, "sweep.json")),
  );
  return [...sandboxFigures(local, docker), ...sweepFigures(sweep)];
});
await part(5, "model-client", "Model client", async () =>
  llmFigures(unwrap("llm", await runLlmBench(root, join(parts, "llm.json")))),
);
await part(6, "agent-loop", "Agent loop", async () => {
  const output = join(parts, "agent.json");
  return agentFigures(unwrap("agent", await runAgentBench(root, sizes.agents, sizes.agentTurns, output)));
});
await part(7, "cli-start", "CLI start", async () => {
  const result = await runCliStartBench(root, quick ? 5 : 15, quick ? 1 : 3);
  sections["cli-start"] = result;
  return cliStartFigures(result);
});
for (const [index, config] of sizes.swarms.entries()) {
  await part(1, config.name, `Swarm ${config.tasks}×${config.workers}`, async () =>
    swarmFigures(
      await runSwarm(config, swarms.length - index - 1),
      config.tasks >= 1_000,
      (sections["merge-queue"] as MergeQueueResult | undefined)?.queue.mergesPerSecond ?? null,
    ),
  );
}
await part(
  1,
  sizes.realRegime.name,
  `Swarm ${sizes.realRegime.tasks}×${sizes.realRegime.workers}, real-agent latency`,
  async () =>
    realRegimeFigures(
      await runSwarm(sizes.realRegime, 1),
      (sections["merge-queue"] as MergeQueueResult | undefined)?.queue.mergesPerSecond ?? null,
    ),
);
await part(2, sizes.landing.name, `Landing ${sizes.landing.tasks}×${sizes.landing.workers}`, async () =>
  landingFigures(await runSwarm(sizes.landing, 0)),
);
rmSync(parts, { recursive: true, force: true });

const figures = placed.sort((a, b) => a.place - b.place).flatMap((entry) => entry.figures);
writeSuiteReport({
  root,
  sizes,
  partial: !only.complete,
  started,
  loadAtStart,
  figures,
  sections,
  errors,
  curves,
  log,
});
if (errors.length > 0) {
  log(`\n${errors.length} part(s) failed:\n${errors.map((error) => `- ${error}`).join("\n")}`);
  process.exitCode = 1;
}
