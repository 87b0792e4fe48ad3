/**
 * The per-package benchmarks, run as their owners wrote them (each in its package directory,
 * against its built dist/), with the JSON they write read back into the suite.
 */
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "./child-process.ts";

export interface PackageRun<T> {
  readonly result: T | null;
  /** Why there is no result: the command's exit and the end of its stderr. */
  readonly error: string | null;
  readonly seconds: number;
}

async function runNodeBench<T>(
  root: string,
  pkg: string,
  args: readonly string[],
  output: string,
  env: NodeJS.ProcessEnv = {},
): Promise<PackageRun<T>> {
  const started = Date.now();
  const run = await runCommand(process.execPath, args, {
    cwd: join(root, "packages", pkg),
    env: { ...process.env, ...env },
    prefix: `  [${pkg}]`,
  });
  // Some benchmarks exit 1 when they miss their goal; the JSON they wrote is still the result.
  if (existsSync(output) && statSync(output).mtimeMs >= started - 1000) {
    return { result: JSON.parse(readFileSync(output, "utf8")) as T, error: null, seconds: run.seconds };
  }
  const tail = run.stderr.trim().split("\n").slice(-3).join(" / ");
  return {
    result: null,
    error: `exit ${String(run.code)}: ${tail || "no result written"}`,
    seconds: run.seconds,
  };
}

/** The fields of packages/merge-queue's result the suite reports. */
export interface MergeQueueResult {
  readonly queue: { readonly landed: number; readonly conflicts: number; readonly mergesPerSecond: number };
  readonly worktreeRebase: {
    readonly landed: number;
    readonly conflicts: number;
    readonly mergesPerSecond: number;
  };
  readonly ratio: number;
  readonly sameFinalTree: boolean;
  readonly repository: { readonly branches: number };
}

export function runMergeQueueBench(root: string, branches: number, output: string) {
  return runNodeBench<MergeQueueResult>(
    root,
    "merge-queue",
    ["bench/merge-queue.bench.ts", output, "--branches", String(branches)],
    output,
  );
}

/** The fields of packages/sandbox's result the suite reports. */
export interface SandboxResult {
  readonly files: number;
  readonly rows: readonly {
    readonly mode: string;
    readonly iterations: number;
    readonly isolation: string;
    readonly readyMs: { readonly p50: number; readonly p95: number };
    readonly destroyMs: { readonly p50: number; readonly p95: number };
  }[];
  /**
   * An orchestrator-like loop beside busy commands in sandboxes, then beside the same programs
   * at normal priority.
   */
  readonly yield?: {
    readonly busyPrograms: number;
    readonly windowMs: number;
    readonly sandboxed: SandboxPace;
    readonly normalPriority: SandboxPace;
  } | null;
}

/** The loop's event-loop delay p99 and the rounds of work it completed (of windowMs / 10). */
export interface SandboxPace {
  readonly eventLoopP99Ms: number;
  readonly rounds: number;
}

export function runSandboxBench(root: string, output: string) {
  return runNodeBench<SandboxResult>(root, "sandbox", ["bench/ready.bench.ts", output], output);
}

/** The fields of packages/reconciler's health-sweep result the suite reports. */
export interface SweepResult {
  readonly landings: number;
  readonly rows: readonly {
    readonly mode: "contained" | "uncontained";
    readonly sweeps: number;
    readonly green: number;
    readonly sweepMs: { readonly p50: number; readonly p95: number };
  }[];
  readonly overhead: number;
}

export function runSweepBench(root: string, landings: number, output: string) {
  return runNodeBench<SweepResult>(
    root,
    "reconciler",
    ["bench/sweep.bench.ts", output, "--landings", String(landings)],
    output,
  );
}

/** The fields of packages/sandbox-docker's result the suite reports. */
export interface DockerResult {
  readonly files: number;
  readonly engine: string;
  readonly results: readonly {
    readonly delivery: string;
    readonly iterations: number;
    readonly readyP50Ms: number;
    readonly readyP95Ms: number;
    readonly destroyP50Ms: number;
  }[];
}

/** The Docker benchmark writes bench/results/sandbox-docker.json itself; the suite folds it in and removes it. */
export async function runDockerBench(root: string, iterations: number): Promise<PackageRun<DockerResult>> {
  const output = join(root, "bench", "results", "sandbox-docker.json");
  const run = await runNodeBench<DockerResult>(
    root,
    "sandbox-docker",
    ["dist/bench/ready-time.js", "--iterations", String(iterations)],
    output,
  );
  if (run.result !== null) rmSync(output, { force: true });
  return run;
}

/** The fields of packages/llm's result the suite reports. */
export interface LlmResult {
  readonly concurrency: number;
  readonly rounds: number;
  readonly ratio: number;
  readonly ratioQuartiles: readonly number[];
  readonly sdkRatio: number;
  readonly clientOverSdkRatio: number;
  readonly variants: Record<string, { readonly cpuMsPerCall: number; readonly wallMsMedian: number }>;
}

export function runLlmBench(root: string, output: string) {
  return runNodeBench<LlmResult>(root, "llm", ["bench/overhead.bench.ts", output], output);
}

/** The fields of packages/agent's result the suite reports. */
export interface AgentResult {
  readonly agents: number;
  readonly turnsPerAgent: number;
  readonly cpuMsPerTurn: number;
  readonly baselineHttpCpuMsPerCall: number;
  readonly netCpuMsPerTurn: number;
}

export function runAgentBench(root: string, agents: number, turns: number, output: string) {
  return runNodeBench<AgentResult>(root, "agent", ["bench/turn-overhead.bench.ts", output], output, {
    BENCH_AGENTS: String(agents),
    BENCH_TURNS: String(turns),
  });
}
