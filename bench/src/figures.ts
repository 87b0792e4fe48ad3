import { type Figure, goals, measured, unmeasured } from "./figure.ts";
import type {
  AgentResult,
  DockerResult,
  LlmResult,
  MergeQueueResult,
  SandboxResult,
  SweepResult,
} from "./package-benches.ts";
import type { SwarmResult } from "./swarm-types.ts";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const thousands = (value: number) => Math.round(value).toLocaleString("en-US");

/** Where a landed task's time went, mean per task, in the worker's order. */
export function phaseText(result: SwarmResult): string {
  const phase = result.phases;
  const parts: [string, number][] = [
    ["waiting for a worker", phase.waitForWorker],
    ["dispatch", phase.dispatch],
    ["sandbox", phase.sandboxCreate],
    [`agent (model ${seconds(phase.agentModel)})`, phase.agent],
    ["planner update", phase.plannerUpdate],
    ["review", phase.review],
    ["merge", phase.merge],
  ];
  return `${seconds(phase.total)}: ${parts.map(([name, ms]) => `${name} ${seconds(ms)}`).join(", ")}`;
}

/** Whether the engine drained the run at MAX_WALL_TIME (the suite's time budget) before it finished. */
export function wasCapped(result: SwarmResult): boolean {
  return result.reason.includes("wall-time budget");
}

/** `; stopped at MAX_WALL_TIME …` when the suite's time budget stopped the run, else nothing. */
function cappedNote(result: SwarmResult): string {
  return wasCapped(result) ? `; stopped at MAX_WALL_TIME ${result.config.maxWallSeconds} s` : "";
}

/** Wall time against the ideal schedule; a run the budget stopped is compared with the ideal of the tasks that started. */
function wallFigure(section: string, result: SwarmResult): Figure {
  const { wallMs, ideal, counts } = result;
  const ratio = wallMs / ideal.scheduledMs;
  const display = wasCapped(result)
    ? `> ${ratio.toFixed(2)}× (stopped by the suite's time budget after ${seconds(wallMs)} with ${counts.landed} of ${counts.tasks} landed; ideal of the tasks that started ${seconds(ideal.scheduledMs)})`
    : `${ratio.toFixed(2)}× (${seconds(wallMs)} vs ${seconds(ideal.scheduledMs)}; critical path ${seconds(ideal.criticalPathMs)})`;
  return measured(section, "wall / ideal", ratio, display, goals.wallOverIdeal);
}

/** Swarm figures; the RSS goal applies to the largest scale only. `queueRate`: the queue benchmark's merges/s, for comparison. */
export function swarmFigures(
  result: SwarmResult,
  rssGoal: boolean,
  queueRate: number | null = null,
): Figure[] {
  const section = `Swarm ${result.config.tasks}×${result.config.workers}`;
  const { counts, orchestrator } = result;
  const capped = cappedNote(result);
  return [
    wallFigure(section, result),
    measured(
      section,
      "landed commits per hour",
      result.landedPerHour,
      `${thousands(result.landedPerHour)}/h (${counts.landed} of ${counts.tasks} tasks landed, run ${result.status}${capped})`,
    ),
    measured(
      section,
      "orchestrator CPU per task",
      orchestrator.cpuMsPerTask / 1000,
      `${(orchestrator.cpuMsPerTask / 1000).toFixed(3)} s (${seconds(orchestrator.cpuMs)} in all)`,
    ),
    measured(section, "mean time per landed task", result.phases.total / 1000, phaseText(result)),
    spawnFigure(section, result),
    landingFigure(section, result, queueRate),
    measured(
      section,
      "orchestrator peak RSS",
      orchestrator.peakRssMb,
      `${Math.round(orchestrator.peakRssMb)} MB`,
      rssGoal ? goals.peakRssMb : null,
    ),
    cpuFloorFigure(section, result),
    ...[buildCheckFloorFigure(section, result)].filter((figure) => figure !== null),
  ];
}

/**
 * The real regime: real agents' call latencies (see `realAgentLatencyModel`), scaled in time by
 * the scenario's `timeScale`, at 200 workers with overlapping scopes. Rates are given in real
 * time; the ideal is computed from the same scaled latencies, so wall / ideal needs no scaling.
 */
export function realRegimeFigures(result: SwarmResult, queueRate: number | null = null): Figure[] {
  const scale = result.config.timeScale ?? 1;
  const section = `Swarm ${result.config.tasks}×${result.config.workers}, real-agent latency (time × ${scale})`;
  const { wallMs, counts } = result;
  const capped = cappedNote(result);
  const perHour = result.landedPerHour * scale;
  return [
    wallFigure(section, result),
    measured(
      section,
      "landed commits per hour, real time",
      perHour,
      `${thousands(perHour)}/h (${counts.landed} of ${counts.tasks} tasks landed in ${seconds(wallMs)}, ${(wallMs / scale / 60_000).toFixed(1)} min at real speed; run ${result.status}${capped})`,
    ),
    measured(
      section,
      "mean time per landed task, in the run's scaled time",
      result.phases.total / 1000,
      phaseText(result),
    ),
    ...conflictFigures(section, result),
    landingFigure(section, result, queueRate),
    cpuFloorFigure(section, result),
  ];
}

/**
 * The wall time the machine's cores allow at best: all the CPU the run used (the orchestrator,
 * the spawner, and the programs it ran: checks, git, sandboxes) spread over every core. The
 * ideal counts model latency only; where this floor is above it, the machine is the limit.
 */
export function cpuFloorFigure(section: string, result: SwarmResult): Figure {
  const { orchestrator, spawns, wallMs, ideal } = result;
  const cpuMs = orchestrator.cpuMs + spawns.spawnerCpuMs + spawns.programsCpuMs;
  const floorMs = cpuMs / Math.max(1, result.cores);
  const ratio = wallMs / Math.max(1, floorMs);
  return measured(
    section,
    "wall / CPU floor",
    ratio,
    `${ratio.toFixed(2)}× (all CPU the run used, ${seconds(cpuMs)}: orchestrator ${seconds(orchestrator.cpuMs)}, spawner ${seconds(spawns.spawnerCpuMs)}, programs ${seconds(spawns.programsCpuMs)}; over ${result.cores} cores at least ${seconds(floorMs)}, ${(floorMs / Math.max(1, ideal.scheduledMs)).toFixed(2)}× the ideal)`,
  );
}

/**
 * The least wall time the project's own build check allows, as a multiple of the ideal: every
 * attempt's commit is built once before review, and the build's CPU grows with the tree (from
 * the base's to the final tree's, about linearly as tasks add modules), so the attempts' builds
 * alone need attempts × the mean of the two over the machine's cores. Null when not measured.
 */
export function buildCheckFloorFigure(section: string, result: SwarmResult): Figure | null {
  const check = result.buildCheckCpuMs;
  if (check === undefined) return null;
  const attempts = Math.max(1, result.counts.attempts);
  const floorMs = (attempts * ((check.base + check.final) / 2)) / Math.max(1, result.cores);
  const ratio = floorMs / Math.max(1, result.ideal.scheduledMs);
  return measured(
    section,
    "build checks' own CPU floor / ideal",
    ratio,
    `${ratio.toFixed(2)}× (one build per attempt: ${Math.round(check.base)} ms of CPU on the base tree, ${Math.round(check.final)} ms on the final one; ${attempts} × their mean over ${result.cores} cores is ${seconds(floorMs)} against the ideal's ${seconds(result.ideal.scheduledMs)})`,
  );
}

/** The queue's pace inside the swarm, beside its own benchmark's. */
export function landingFigure(section: string, result: SwarmResult, queueRate: number | null): Figure {
  const { landing } = result;
  const beside = queueRate === null ? "" : `; the queue alone ${queueRate.toFixed(1)}/s`;
  return measured(
    section,
    "landings per second while the queue had work",
    landing.perSecond,
    `${landing.perSecond.toFixed(1)}/s (${landing.landed} in ${landing.busySeconds.toFixed(1)} s; accepted to landed ${Math.round(landing.latencyMeanMs)} ms mean, ${Math.round(landing.latencyP95Ms)} ms p95${beside})`,
  );
}

/** Processes the orchestrator itself forked, per task, with the commands that forked most. */
export function spawnFigure(section: string, result: SwarmResult): Figure {
  const { spawns } = result;
  const top = spawns.byCommand
    .slice(0, 3)
    .map((entry) => `${entry.command} ${entry.count}`)
    .join(", ");
  const via = result.config.launcher === "child" ? "no spawner" : "the rest started by the spawner";
  const tasks = Math.max(1, result.counts.tasks);
  const programs = `programs' CPU ${Math.round(spawns.programsCpuMs / tasks)} ms per task`;
  return measured(
    section,
    "orchestrator spawns per task",
    spawns.perTask,
    `${spawns.perTask.toFixed(2)} (${spawns.total} in all${top === "" ? "" : `: ${top}`}; ${via}; ${programs})`,
    goals.spawnsPerTask,
  );
}

export function landingFigures(result: SwarmResult): Figure[] {
  const section = `Landing ${result.config.tasks}×${result.config.workers}, overlapping`;
  const { counts } = result;
  const share = counts.completed === 0 ? 0 : counts.landed / counts.completed;
  const by = wasCapped(result) ? ` by the ${result.config.maxWallSeconds} s time cap` : "";
  return [
    measured(
      section,
      "completed tasks that land",
      share,
      `${(share * 100).toFixed(1)}%${by} (${counts.landed} of ${counts.completed}; ${counts.failed} failed, ${counts.cancelled} cancelled)`,
      goals.landedShare,
    ),
    ...conflictFigures(section, result),
    measured(
      section,
      "duplicated lines in the final tree",
      result.duplicatedLines.count,
      duplicatesText(result.duplicatedLines),
      goals.duplicatedLines,
    ),
    measured(section, "mean time per landed task", result.phases.total / 1000, phaseText(result)),
    measured(section, "wall time", result.wallMs / 1000, `${seconds(result.wallMs)} (run ${result.status})`),
  ];
}

/** How conflicts were answered: re-runs per task (the goal), every path, and the tokens they took. */
function conflictFigures(section: string, result: SwarmResult): Figure[] {
  const { counts, conflictCosts: costs } = result;
  const tasks = Math.max(1, counts.tasks);
  const landed = Math.max(1, counts.landed);
  const tokens = costs.hunkTokens + costs.rerunTokens;
  const perTask = costs.reruns / tasks;
  return [
    measured(
      section,
      "conflict resolutions by full re-run per task",
      perTask,
      `${perTask.toFixed(2)} (${costs.reruns} re-runs for ${costs.conflicts} conflicts sent back; ${counts.attempts} attempts for ${counts.tasks} tasks)`,
      goals.rerunsPerTask,
    ),
    measured(
      section,
      "conflicts resolved, by path",
      counts.autoResolved + costs.hunksResolved + costs.reruns,
      `queue: union ${costs.union}, manifest ${costs.manifest}, lockfile ${costs.lockfile}; model on hunks ${costs.hunksResolved} of ${costs.hunksTried} tried (${costs.hunks} hunks); re-run ${costs.reruns}; ${counts.noopLandings} landing${counts.noopLandings === 1 ? "" : "s"} with no change`,
    ),
    measured(
      section,
      "tokens spent on conflicts",
      tokens,
      `${thousands(tokens)} (${thousands(tokens / landed)} per landed task; hunks ${thousands(costs.hunkTokens)}, re-runs ${thousands(costs.rerunTokens)}; the run: ${thousands(counts.promptTokens + counts.completionTokens)})`,
    ),
  ];
}

function duplicatesText(duplicated: SwarmResult["duplicatedLines"]): string {
  if (duplicated.count === 0) return "0";
  const files = duplicated.files
    .slice(0, 3)
    .map((file) => `${file.path}: ${file.copies}, e.g. ${file.example.slice(0, 60)}`)
    .join("; ");
  return `${duplicated.count} (${files}${duplicated.files.length > 3 ? "; …" : ""})`;
}

export function mergeQueueFigures(result: MergeQueueResult): Figure[] {
  const section = `Merge queue, ${result.repository.branches} branches`;
  return [
    measured(
      section,
      "queue / worktree rebase",
      result.ratio,
      `${result.ratio.toFixed(1)}× (${result.queue.mergesPerSecond} vs ${result.worktreeRebase.mergesPerSecond} merges/s; same final tree: ${result.sameFinalTree})`,
      goals.mergeQueueRatio,
    ),
    measured(
      section,
      "queue merges per second",
      result.queue.mergesPerSecond,
      `${result.queue.mergesPerSecond}/s (${result.queue.landed} landed, ${result.queue.conflicts} conflicts)`,
      goals.mergesPerSecond,
    ),
  ];
}

export function sandboxFigures(local: SandboxResult, docker: DockerResult | string): Figure[] {
  const figures: Figure[] = [];
  const pooled = local.rows[0];
  if (pooled) {
    figures.push(
      measured(
        "Sandboxes",
        `local ready p50, ${pooled.mode}`,
        pooled.readyMs.p50,
        `${pooled.readyMs.p50} ms (p95 ${pooled.readyMs.p95} ms, ${pooled.isolation}, ${local.files} files)`,
        goals.localSandboxP50Ms,
      ),
    );
  }
  for (const row of local.rows.slice(1)) {
    figures.push(
      measured(
        "Sandboxes",
        `local ready p50, ${row.mode}`,
        row.readyMs.p50,
        `${row.readyMs.p50} ms (p95 ${row.readyMs.p95} ms)`,
      ),
    );
  }
  const paces = local.yield;
  if (paces) {
    const rounds = paces.windowMs / 10;
    figures.push(
      measured(
        "Sandboxes",
        `orchestrator beside ${paces.busyPrograms} busy sandbox commands`,
        paces.sandboxed.eventLoopP99Ms,
        `event-loop p99 ${paces.sandboxed.eventLoopP99Ms} ms, ${paces.sandboxed.rounds} of ${rounds} rounds of its work (beside the same programs at normal priority: ${paces.normalPriority.eventLoopP99Ms} ms, ${paces.normalPriority.rounds} of ${rounds})`,
      ),
    );
  }
  if (typeof docker === "string") {
    figures.push(unmeasured("Sandboxes", "Docker ready p50", "skipped", docker, goals.dockerSandboxP50Ms));
    return figures;
  }
  for (const row of docker.results) {
    figures.push(
      measured(
        "Sandboxes",
        `Docker ready p50, ${row.delivery} delivery`,
        row.readyP50Ms,
        `${row.readyP50Ms} ms (p95 ${row.readyP95Ms} ms, engine ${docker.engine})`,
        goals.dockerSandboxP50Ms,
      ),
    );
  }
  return figures;
}

/**
 * Health sweeps in contained sandboxes against the same sweeps uncontained, in one run. A mode
 * with a red sweep (checks that failed, perhaps fast) or no sweeps at all is not comparable: the
 * figure is then an error naming it, not a verdict.
 */
export function sweepFigures(result: SweepResult): Figure[] {
  const name = "health sweep overhead of containment";
  const row = (mode: string) => result.rows.find((entry) => entry.mode === mode);
  const contained = row("contained");
  const uncontained = row("uncontained");
  const broken = [contained, uncontained].flatMap((entry, index) => {
    const mode = index === 0 ? "contained" : "uncontained";
    if (entry === undefined || entry.sweeps === 0) return [`${mode}: not measured`];
    return entry.green < entry.sweeps ? [`${mode}: ${entry.green} of ${entry.sweeps} sweeps green`] : [];
  });
  if (broken.length > 0 || contained === undefined || uncontained === undefined) {
    return [
      unmeasured("Sandboxes", name, "error", `not comparable (${broken.join("; ")})`, goals.sweepOverhead),
    ];
  }
  const detail = (entry: typeof contained) => `p50 ${entry.sweepMs.p50} ms, p95 ${entry.sweepMs.p95} ms`;
  return [
    measured(
      "Sandboxes",
      name,
      result.overhead,
      `${(result.overhead * 100).toFixed(1)}% (contained ${detail(contained)}; uncontained ${detail(uncontained)}; ${result.landings} landings)`,
      goals.sweepOverhead,
    ),
  ];
}

export function llmFigures(result: LlmResult): Figure[] {
  const [low, high] = result.ratioQuartiles;
  return [
    measured(
      "Model client",
      "ModelClient / bare fetch",
      result.ratio,
      `${result.ratio.toFixed(2)}× (quartiles ${low?.toFixed(2)}–${high?.toFixed(2)}; SDK alone ${result.sdkRatio.toFixed(2)}×; ${result.concurrency} streams)`,
      goals.llmOverhead,
    ),
  ];
}

export function agentFigures(result: AgentResult): Figure[] {
  return [
    measured(
      "Agent loop",
      "orchestrator CPU per turn",
      result.netCpuMsPerTurn,
      `${result.netCpuMsPerTurn.toFixed(2)} ms net (${result.cpuMsPerTurn.toFixed(2)} ms with HTTP; ${result.agents} agents × ${result.turnsPerAgent} turns)`,
      goals.agentTurnCpuMs,
    ),
  ];
}
