import { describe, expect, it } from "vitest";
import { landingFigures, realRegimeFigures, sandboxFigures, swarmFigures, sweepFigures } from "./figures.ts";
import type { SandboxResult, SweepResult } from "./package-benches.ts";
import { quickSizes } from "./suite-sizes.ts";
import type { SwarmResult } from "./swarm-types.ts";

function result(overrides: {
  reason?: string;
  landed?: number;
  completed?: number;
  rssMb?: number;
  duplicated?: SwarmResult["duplicatedLines"];
  reruns?: number;
}): SwarmResult {
  return {
    config: { ...quickSizes.swarms[0]!, tasks: 1_000, workers: 200, maxWallSeconds: 300 },
    cores: 2,
    repositoryFiles: 3_000,
    status: "green",
    reason: overrides.reason ?? "every check passes at 0123456789",
    wallMs: 60_000,
    ideal: {
      scheduledMs: 20_000,
      criticalPathMs: 15_000,
      lowerBoundMs: 16_000,
      totalWorkMs: 1,
      tailMs: 300,
      tasksWithoutCalls: 0,
    },
    orchestrator: {
      cpuMs: 75_000,
      cpuMsPerTask: 75,
      peakRssMb: overrides.rssMb ?? 420,
      eventLoopDelayP99Ms: 1,
      eventLoopDelayMaxMs: 1,
    },
    counts: {
      tasks: 1_000,
      landed: overrides.landed ?? 1_000,
      completed: overrides.completed ?? 1_000,
      failed: 0,
      cancelled: 0,
      attempts: 1_300,
      conflicts: 250,
      autoResolved: 40,
      noopLandings: 1,
      rejections: 0,
      fixTasks: 0,
      healthChecks: 10,
      modelCalls: 4_000,
      serverCalls: 4_000,
      replanCalls: 100,
      replanLatencyMs: 50_000,
      promptTokens: 2_000_000,
      completionTokens: 500_000,
      events: 1,
    },
    landing: { landed: 1_000, busySeconds: 50, perSecond: 20, latencyMeanMs: 400, latencyP95Ms: 900 },
    spawns: {
      total: 500,
      perTask: 0.5,
      byCommand: [{ command: "bash", count: 400 }],
      spawnerCpuMs: 1_000,
      programsCpuMs: 20_000,
    },
    conflictCosts: {
      conflicts: 250,
      union: 30,
      manifest: 6,
      lockfile: 4,
      hunksTried: 240,
      hunksResolved: 220,
      hunks: 300,
      reruns: overrides.reruns ?? 30,
      hunkTokens: 240_000,
      rerunTokens: 60_000,
    },
    phases: {
      attempts: 1_000,
      waitForWorker: 200,
      dispatch: 50,
      sandboxCreate: 100,
      agent: 500,
      agentModel: 400,
      destroy: 0,
      plannerUpdate: 150,
      review: 200,
      merge: 100,
      total: 1_300,
    },
    duplicatedLines: overrides.duplicated ?? { count: 0, files: [] },
    sandboxReadyMs: { p50: 1, p95: 2 },
    landedPerHour: 60_000,
    curve: { landedS: [], idealS: [] },
    serverFailures: [],
  };
}

describe("swarm figures", () => {
  it("hold wall time against the ideal and peak RSS against 400 MB at the largest scale", () => {
    const [wall, perHour, cpu, time, spawns, landings, rss] = swarmFigures(result({}), true, 110.5);
    expect(wall).toMatchObject({ value: 3, verdict: "MISS" });
    expect(wall?.display).toBe("3.00× (60.0 s vs 20.0 s; critical path 15.0 s)");
    expect(perHour?.display).toContain("60,000/h (1000 of 1000 tasks landed");
    expect(cpu?.display).toBe("0.075 s (75.0 s in all)");
    expect(time?.display).toMatch(
      /^1\.3 s: waiting for a worker 0\.2 s, .*agent \(model 0\.4 s\) 0\.5 s, .*merge 0\.1 s$/,
    );
    expect(spawns).toMatchObject({ value: 0.5, verdict: "PASS" });
    expect(spawns?.display).toBe(
      "0.50 (500 in all: bash 400; the rest started by the spawner; programs' CPU 20 ms per task)",
    );
    expect(landings?.display).toBe(
      "20.0/s (1000 in 50.0 s; accepted to landed 400 ms mean, 900 ms p95; the queue alone 110.5/s)",
    );
    expect(rss).toMatchObject({ value: 420, verdict: "MISS" });
    expect(swarmFigures(result({ rssMb: 380 }), true)[6]?.verdict).toBe("PASS");
    expect(swarmFigures(result({}), false)[6]?.verdict).toBe("info");
  });

  it("set the wall time against what the machine's cores allow for all the CPU the run used", () => {
    const floor = swarmFigures(result({}), true)[7];
    // 75 s orchestrator + 1 s spawner + 20 s programs = 96 s over 2 cores: 48 s at least.
    expect(floor).toMatchObject({ name: "wall / CPU floor", value: 1.25, verdict: "info" });
    expect(floor?.display).toBe(
      "1.25× (all CPU the run used, 96.0 s: orchestrator 75.0 s, spawner 1.0 s, programs 20.0 s; over 2 cores at least 48.0 s, 2.40× the ideal)",
    );
  });

  it("set the ideal against the least time the project's own build check allows, once per attempt", () => {
    const measuredChecks = { ...result({}), buildCheckCpuMs: { base: 40, final: 360 } };
    const floor = swarmFigures(measuredChecks, true).find(
      (figure) => figure.name === "build checks' own CPU floor / ideal",
    );
    // 1,300 attempts × 200 ms mean over 2 cores = 130 s, 6.5× the ideal's 20 s.
    expect(floor).toMatchObject({ value: 6.5, verdict: "info" });
    expect(floor?.display).toContain("40 ms of CPU on the base tree, 360 ms on the final one");
    expect(swarmFigures(result({}), true).some((figure) => figure.name.startsWith("build checks"))).toBe(
      false,
    );
  });

  it("say so when the suite's time budget stopped the run", () => {
    const capped = result({ reason: "wall-time budget of 300 s reached", landed: 640 });
    const [wall, perHour] = swarmFigures(capped, true);
    expect(wall?.display).toMatch(
      /^> 3\.00× \(stopped by the suite's time budget after 60\.0 s with 640 of 1000 landed/,
    );
    expect(perHour?.display).toContain("stopped at MAX_WALL_TIME 300 s");
  });
});

describe("real-regime figures", () => {
  it("give landed commits per hour in real time, dividing the run's time scale back out", () => {
    const run = result({});
    const scaled = { ...run, config: { ...run.config, timeScale: 0.5 } };
    const [wall, perHour, time, reruns, , tokens] = realRegimeFigures(scaled, 110.5);
    expect(wall).toMatchObject({ name: "wall / ideal", value: 3 });
    expect(wall?.section).toBe("Swarm 1000×200, real-agent latency (time × 0.5)");
    // 60,000 landed per hour of scaled time is 30,000 per hour at real speed; 60 s is 2 min real.
    expect(perHour).toMatchObject({ value: 30_000 });
    expect(perHour?.display).toBe(
      "30,000/h (1000 of 1000 tasks landed in 60.0 s, 2.0 min at real speed; run green)",
    );
    expect(time?.name).toBe("mean time per landed task, in the run's scaled time");
    expect(reruns).toMatchObject({ value: 0.03, verdict: "PASS" });
    expect(tokens?.display).toMatch(/^300,000 \(300 per landed task;/);
  });
});

describe("landing figures", () => {
  it("count landings among the tasks whose work was completed, and re-runs a conflict cost per task", () => {
    const [share, reruns] = landingFigures(result({ landed: 940, completed: 1_000 }));
    expect(share).toMatchObject({ value: 0.94, verdict: "MISS" });
    expect(share?.display).toMatch(/^94\.0% \(940 of 1000;/);
    expect(reruns).toMatchObject({ value: 0.03, verdict: "PASS" });
    expect(reruns?.display).toBe(
      "0.03 (30 re-runs for 250 conflicts sent back; 1300 attempts for 1000 tasks)",
    );
    expect(landingFigures(result({ reruns: 301 }))[1]?.verdict).toBe("MISS");
    expect(landingFigures(result({ landed: 950, completed: 1_000 }))[0]?.verdict).toBe("PASS");
    const capped = landingFigures(result({ reason: "wall-time budget of 300 s reached", landed: 500 }));
    expect(capped[0]?.display).toContain("50.0% by the 300 s time cap");
  });

  it("hold duplicated lines in the final tree to zero and say how conflicts were resolved and at what cost", () => {
    const clean = landingFigures(result({}));
    const byName = (figures: ReturnType<typeof landingFigures>, name: string) =>
      figures.find((figure) => figure.name === name);
    expect(byName(clean, "duplicated lines in the final tree")).toMatchObject({ value: 0, verdict: "PASS" });
    expect(byName(clean, "conflicts resolved, by path")).toMatchObject({
      value: 290,
      display:
        "queue: union 30, manifest 6, lockfile 4; model on hunks 220 of 240 tried (300 hunks); re-run 30; 1 landing with no change",
    });
    expect(byName(clean, "tokens spent on conflicts")).toMatchObject({
      value: 300_000,
      display: "300,000 (300 per landed task; hunks 240,000, re-runs 60,000; the run: 2,500,000)",
    });
    const duplicated = landingFigures(
      result({
        duplicated: { count: 2, files: [{ path: "src/index.ts", copies: 2, example: "export { a }" }] },
      }),
    );
    expect(byName(duplicated, "duplicated lines in the final tree")).toMatchObject({
      value: 2,
      verdict: "MISS",
      display: "2 (src/index.ts: 2, e.g. export { a })",
    });
  });
});

function sweep(
  overhead: number,
  green: { contained?: number; uncontained?: number } = {},
  modes: readonly ("contained" | "uncontained")[] = ["contained", "uncontained"],
): SweepResult {
  const rows = {
    contained: { sweeps: 14, p50: 1845.8, p95: 2874.3 },
    uncontained: { sweeps: 14, p50: 1490.8, p95: 2426.3 },
  };
  return {
    landings: 12,
    overhead,
    rows: modes.map((mode) => ({
      mode,
      sweeps: rows[mode].sweeps,
      green: green[mode] ?? rows[mode].sweeps,
      sweepMs: { p50: rows[mode].p50, p95: rows[mode].p95 },
    })),
  };
}

describe("sweep figures", () => {
  it("hold the overhead of containment on health sweeps to 10%, with both modes' sweep times", () => {
    const [missed] = sweepFigures(sweep(0.277));
    expect(missed).toMatchObject({
      section: "Sandboxes",
      name: "health sweep overhead of containment",
      value: 0.277,
      verdict: "MISS",
      display:
        "27.7% (contained p50 1845.8 ms, p95 2874.3 ms; uncontained p50 1490.8 ms, p95 2426.3 ms; 12 landings)",
    });
    expect(missed?.goal?.text).toBe("≤ 10%");
    expect(sweepFigures(sweep(0.1))[0]?.verdict).toBe("PASS");
    expect(sweepFigures(sweep(0.1001))[0]?.verdict).toBe("MISS");
    const faster = sweepFigures(sweep(-0.058))[0];
    expect(faster).toMatchObject({ verdict: "PASS" });
    expect(faster?.display).toMatch(/^-5\.8% \(/);
  });

  it("give no verdict when a mode's checks failed or it was not measured", () => {
    const red = sweepFigures(sweep(-0.6, { contained: 3 }))[0];
    expect(red).toMatchObject({
      value: null,
      verdict: "error",
      display: "not comparable (contained: 3 of 14 sweeps green)",
    });
    const missing = sweepFigures(sweep(0.02, {}, ["contained"]))[0];
    expect(missing).toMatchObject({
      verdict: "error",
      display: "not comparable (uncontained: not measured)",
    });
  });
});

describe("sandbox figures", () => {
  const local: SandboxResult = {
    files: 2_000,
    rows: [
      {
        mode: "warm pool (default): contained",
        iterations: 30,
        isolation: "bubblewrap",
        readyMs: { p50: 160.2, p95: 217.3 },
        destroyMs: { p50: 59.1, p95: 80 },
      },
      {
        mode: "warm pool, uncontained (unwrapped, user's repository)",
        iterations: 30,
        isolation: "unwrapped",
        readyMs: { p50: 72.2, p95: 213.6 },
        destroyMs: { p50: 85.8, p95: 90 },
      },
    ],
  };

  it("hold only the contained warm pool to 150 ms, show the uncontained pool beside it, and say why Docker was skipped", () => {
    const [contained, uncontained, docker] = sandboxFigures(local, "no Docker engine answers");
    expect(contained).toMatchObject({
      name: "local ready p50, warm pool (default): contained",
      value: 160.2,
      verdict: "MISS",
      display: "160.2 ms (p95 217.3 ms, bubblewrap, 2000 files)",
    });
    expect(uncontained).toMatchObject({ value: 72.2, verdict: "info", display: "72.2 ms (p95 213.6 ms)" });
    expect(docker).toMatchObject({ verdict: "skipped", display: "no Docker engine answers" });
    const fast = { ...local, rows: [{ ...local.rows[0]!, readyMs: { p50: 50.7, p95: 177.8 } }] };
    expect(sandboxFigures(fast, "skipped")[0]?.verdict).toBe("PASS");
  });

  it("show the orchestrator's pace beside busy sandbox commands next to its pace beside the same programs at normal priority", () => {
    const paces = {
      busyPrograms: 8,
      windowMs: 4_000,
      sandboxed: { eventLoopP99Ms: 4.9, rounds: 395 },
      normalPriority: { eventLoopP99Ms: 15, rounds: 334 },
    };
    const figures = sandboxFigures({ ...local, yield: paces }, "skipped");
    expect(
      figures.find((figure) => figure.name === "orchestrator beside 8 busy sandbox commands"),
    ).toMatchObject({
      value: 4.9,
      verdict: "info",
      display:
        "event-loop p99 4.9 ms, 395 of 400 rounds of its work (beside the same programs at normal priority: 15 ms, 334 of 400)",
    });
    expect(sandboxFigures(local, "skipped").some((figure) => figure.name.startsWith("orchestrator"))).toBe(
      false,
    );
  });
});
