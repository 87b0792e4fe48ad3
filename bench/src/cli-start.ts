/**
 * How fast the published CLI (the bundle in apps/cli/release) starts: `longshot --help` and
 * `longshot runs` against a bare `node -e 0` run alternately under the same load, and the time
 * from starting `longshot demo` in an 80×24 terminal (tmux) to the dashboard's "planning…".
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TmuxTerminal } from "@longshot/testkit";
import { type Figure, goals, measured, unmeasured } from "./figure.ts";

export interface StartSample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

export interface CliStartResult {
  readonly runs: number;
  readonly nodeBaseline: StartSample;
  readonly help: StartSample;
  readonly listRuns: StartSample;
  /** Milliseconds to the first frame with "planning…", one per try; empty when tmux is missing. */
  readonly firstPaintMs: readonly number[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** GNU time, for the child's CPU time (Node cannot read a child's rusage); optional. */
const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

/** One process start: wall time from spawn to exit, and the child's CPU time (user + system). */
function timeOnce(args: readonly string[], cwd: string): Promise<StartSample> {
  return new Promise((resolve, reject) => {
    const [command, argv] =
      gnuTime === null
        ? [process.execPath, [...args]]
        : [gnuTime, ["-f", "cpu %U %S", process.execPath, ...args]];
    const started = performance.now();
    const child = spawn(command, argv, {
      cwd,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) reject(new Error(`node ${args.join(" ")} exited ${String(code)}: ${stderr.trim()}`));
      const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
      resolve({ wallMs, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : Number.NaN });
    });
  });
}

async function sampleAll(
  commands: Record<string, readonly string[]>,
  runs: number,
  cwd: string,
): Promise<Record<string, StartSample>> {
  const samples: Record<string, StartSample[]> = {};
  // One warm-up each (fills Node's compile cache, as every start after the first finds it).
  for (const args of Object.values(commands)) await timeOnce(args, cwd);
  for (let round = 0; round < runs; round++) {
    for (const [name, args] of Object.entries(commands)) {
      const list = samples[name] ?? [];
      list.push(await timeOnce(args, cwd));
      samples[name] = list;
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, list]) => [
      name,
      { wallMs: median(list.map((entry) => entry.wallMs)), cpuMs: median(list.map((entry) => entry.cpuMs)) },
    ]),
  );
}

/** Starts the demo in a detached 80×24 tmux session and waits for "planning…" on its screen. */
async function firstPaint(cli: string, dir: string): Promise<number> {
  const started = performance.now();
  const terminal = TmuxTerminal.start({
    command: `env -u CI ${process.execPath} ${cli} demo --dir ${dir}`,
    width: 80,
    height: 24,
    session: `longshot-bench-${process.pid}`,
  });
  try {
    for (;;) {
      if (terminal.screen().includes("planning…")) return performance.now() - started;
      if (performance.now() - started > 30_000) throw new Error("the dashboard did not paint within 30 s");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    terminal.close();
  }
}

export async function runCliStartBench(root: string, runs: number, paints: number): Promise<CliStartResult> {
  const cli = join(root, "apps", "cli", "release", "dist", "main.js");
  if (!existsSync(cli)) throw new Error(`${cli} is missing; build first (pnpm build bundles it)`);
  const repo = mkdtempSync(join(tmpdir(), "longshot-bench-cli-"));
  try {
    execFileSync("git", ["init", "-q", repo]);
    const samples = await sampleAll(
      { node: ["-e", "0"], help: [cli, "--help"], runs: [cli, "runs", "--repo", repo] },
      runs,
      repo,
    );
    const firstPaintMs: number[] = [];
    const hasTmux = (() => {
      try {
        execFileSync("tmux", ["-V"]);
        return true;
      } catch {
        return false;
      }
    })();
    for (let index = 0; hasTmux && index < paints; index++) {
      firstPaintMs.push(await firstPaint(cli, join(repo, `demo-${index}`)));
    }
    return { runs, nodeBaseline: samples.node!, help: samples.help!, listRuns: samples.runs!, firstPaintMs };
  } finally {
    // A killed demo may still be finishing (its programs end with it) and writing into its
    // directory: retry the removal while it does.
    rmSync(repo, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }
}

function startFigure(name: string, sample: StartSample, baseline: StartSample): Figure {
  const ratio = sample.wallMs / baseline.wallMs;
  return measured(
    "CLI start",
    name,
    sample.wallMs,
    `${Math.round(sample.wallMs)} ms median (${ratio.toFixed(1)}× node -e 0 at ${Math.round(baseline.wallMs)} ms; CPU ${Math.round(sample.cpuMs)} ms)`,
    goals.cliStartMs,
  );
}

export function cliStartFigures(result: CliStartResult): Figure[] {
  const figures = [
    startFigure("longshot --help", result.help, result.nodeBaseline),
    startFigure("longshot runs", result.listRuns, result.nodeBaseline),
  ];
  if (result.firstPaintMs.length === 0) {
    figures.push(
      unmeasured(
        "CLI start",
        "dashboard first paint",
        "skipped",
        "tmux is not installed",
        goals.firstPaintMs,
      ),
    );
  } else {
    const paint = median(result.firstPaintMs);
    figures.push(
      measured(
        "CLI start",
        "dashboard first paint (demo, 80×24)",
        paint,
        `${Math.round(paint)} ms median to "planning…" (${result.firstPaintMs.map((ms) => Math.round(ms)).join(", ")} ms)`,
        goals.firstPaintMs,
      ),
    );
  }
  return figures;
}
