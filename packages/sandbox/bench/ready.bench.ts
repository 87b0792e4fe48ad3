/**
 * Sandbox-ready benchmark of the local provider: on a generated 2,000-file repository, the
 * time from `create` to the end of the first `exec`, and the time `destroy` takes, over 30
 * sandboxes alternating between two base commits (so each pooled reset changes files).
 * The first row is the product's path (isolated under bubblewrap, made from the run's
 * sandboxes' repository, commits admitted into it); the second, measured in the same run, is
 * the same warm pool without any containment (unwrapped, on the user's repository), so the
 * difference is what containment costs.
 *
 * Then how well the orchestrator keeps its pace while sandboxes burn the CPU: an
 * orchestrator-like loop (2 ms of work every 10 ms) runs beside one busy command per sandbox in
 * 8 contained sandboxes (which run below the orchestrator's priority), and beside the same busy
 * programs started at normal priority; the loop's event-loop delay p99 and the work it got done
 * are compared in one run.
 *
 *   pnpm --filter @longshot/sandbox bench [output.json]
 *
 * Writes JSON (default `bench/results/sandbox-<date>.json` at the repository root) and prints a
 * table with the goal next to each row. Not part of the test suite: timings are machine-bound.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { processLauncher } from "@longshot/core";
import {
  defaultSandboxLimits,
  RepositorySandboxProvider,
  type SandboxProvider,
  SandboxRepository,
  WorktreeSandboxProvider,
} from "@longshot/sandbox";

const fileCount = 2_000;
const iterations = 30;
const goalP50Ms = 150;

/** The repository root, three levels above this file (packages/<name>/bench/), as the other package benchmarks find it. */
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

function git(cwd: string, ...args: string[]): string {
  const env = {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    GIT_AUTHOR_NAME: "Bench",
    GIT_AUTHOR_EMAIL: "bench@example.com",
  };
  const identity = {
    GIT_COMMITTER_NAME: "Bench",
    GIT_COMMITTER_EMAIL: "bench@example.com",
    GIT_CONFIG_NOSYSTEM: "1",
  };
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...env, ...identity, HOME: cwd } }).trim();
}

/** A repository of `fileCount` small source files in 100 directories, with two commits 20 files apart. */
function generateRepository(): { path: string; base: string; next: string } {
  const path = mkdtempSync(join(tmpdir(), "longshot-bench-repo-"));
  git(path, "init", "--quiet", "--initial-branch=main");
  for (let index = 0; index < fileCount; index += 1) {
    const dir = join(path, "src", `module-${String(index % 100).padStart(3, "0")}`);
    mkdirSync(dir, { recursive: true });
    const body = Array.from(
      { length: 40 },
      (_, line) => `export const value${line} = ${index * line}; // padding\n`,
    );
    writeFileSync(join(dir, `file-${index}.ts`), body.join(""));
  }
  git(path, "add", "--all");
  git(path, "commit", "--quiet", "--message", "base");
  const base = git(path, "rev-parse", "HEAD");
  for (let index = 0; index < 20; index += 1) {
    const dir = join(path, "src", `module-${String(index % 100).padStart(3, "0")}`);
    writeFileSync(join(dir, `file-${index}.ts`), `export const changed = ${index};\n`);
  }
  git(path, "commit", "--quiet", "--all", "--message", "next");
  return { path, base, next: git(path, "rev-parse", "HEAD") };
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return Math.round((sorted[index] ?? Number.NaN) * 10) / 10;
}

interface Row {
  readonly provider: string;
  readonly mode: string;
  readonly iterations: number;
  readonly isolation: string;
  readonly readyMs: {
    readonly p50: number;
    readonly p95: number;
    readonly min: number;
    readonly max: number;
  };
  readonly destroyMs: { readonly p50: number; readonly p95: number };
  readonly goalReadyP50Ms: number | null;
}

async function measure(
  mode: string,
  provider: SandboxProvider,
  repo: ReturnType<typeof generateRepository>,
  count: number,
  goal: number | null,
): Promise<Row> {
  const ready: number[] = [];
  const destroy: number[] = [];
  let isolation = "";
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    const sandbox = await provider.create({
      repoPath: repo.path,
      baseCommit: index % 2 === 0 ? repo.base : repo.next,
      runId: "rbench",
      taskId: `t${index}`,
      branch: `longshot/rbench/t${index}`,
      limits: defaultSandboxLimits,
    });
    const result = await sandbox.exec({ command: "true" });
    ready.push(performance.now() - started);
    if (result.exitCode !== 0) throw new Error(`first exec failed: ${result.stderr}`);
    isolation = sandbox.isolation.filesystem ? "bubblewrap" : "unwrapped";
    const destroyStarted = performance.now();
    await sandbox.destroy();
    destroy.push(performance.now() - destroyStarted);
  }
  const all = (fraction: number) => percentile(ready, fraction);
  return {
    provider: provider.name,
    mode,
    iterations: count,
    isolation,
    readyMs: { p50: all(0.5), p95: all(0.95), min: all(0), max: all(1) },
    destroyMs: { p50: percentile(destroy, 0.5), p95: percentile(destroy, 0.95) },
    goalReadyP50Ms: goal,
  };
}

/** The orchestrator-like loop's pace beside busy programs: event-loop delay and work done. */
interface Pace {
  readonly eventLoopP99Ms: number;
  /** Loop rounds completed (each 2 ms of work, every 10 ms): 400 is the whole window. */
  readonly rounds: number;
}

const busyPrograms = 8;
const windowMs = 4_000;

/** Runs the loop for `windowMs` while `busy` programs spin, started by `start`, and stops them. */
async function paceBeside(start: () => Promise<() => Promise<void>>): Promise<Pace> {
  const stop = await start();
  await new Promise((done) => setTimeout(done, 300));
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const began = performance.now();
  let rounds = 0;
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const round = performance.now();
      while (performance.now() - round < 2) {
        // The orchestrator's share of work in one round.
      }
      rounds += 1;
      if (performance.now() - began >= windowMs) {
        clearInterval(timer);
        done();
      }
    }, 10);
  });
  delay.disable();
  await stop();
  return { eventLoopP99Ms: Math.round(delay.percentile(99) / 1e5) / 10, rounds };
}

/** The loop beside busy commands in contained sandboxes, then beside the same programs at normal priority. */
async function measureYield(provider: SandboxProvider, repo: ReturnType<typeof generateRepository>) {
  const spin = "while :; do :; done";
  const sandboxes = await Promise.all(
    Array.from({ length: busyPrograms }, (_, index) =>
      provider.create({
        repoPath: repo.path,
        baseCommit: repo.base,
        runId: "ybench",
        taskId: `y${index}`,
        branch: `longshot/ybench/y${index}`,
        limits: defaultSandboxLimits,
      }),
    ),
  );
  try {
    const sandboxed = await paceBeside(async () => {
      const running = sandboxes.map((sandbox) =>
        sandbox.exec({ command: spin, timeoutMs: windowMs + 1_000 }),
      );
      return async () => {
        await Promise.all(running);
      };
    });
    const normal = await paceBeside(async () => {
      const running = Array.from({ length: busyPrograms }, () =>
        processLauncher().launch({ argv: ["sh", "-c", spin], cwd: tmpdir() }),
      );
      return async () => {
        await Promise.all(running.map((program) => program.kill()));
        await Promise.all(running.map((program) => program.ended));
      };
    });
    return { busyPrograms, windowMs, sandboxed, normalPriority: normal };
  } finally {
    await Promise.all(sandboxes.map((sandbox) => sandbox.destroy()));
  }
}

async function main(): Promise<void> {
  const date = new Date().toISOString();
  const output = resolve(
    process.argv[2] ?? join(repoRoot, "bench", "results", `sandbox-${date.slice(0, 10)}.json`),
  );
  const repo = generateRepository();
  const root = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "longshot-bench-sandboxes-"));
  const rows: Row[] = [];
  let paces: Awaited<ReturnType<typeof measureYield>> | null = null;
  try {
    const repository = await SandboxRepository.open({
      source: repo.path,
      path: join(root, "repositories", "rbench.git"),
      root: repo.base,
    });
    const pooled = new RepositorySandboxProvider(
      new WorktreeSandboxProvider({ root: join(root, "pooled") }),
      repository,
    );
    rows.push(await measure("warm pool (default): contained", pooled, repo, iterations, goalP50Ms));
    paces = await measureYield(pooled, repo);
    await pooled.close();
    const uncontained = new WorktreeSandboxProvider({ root: join(root, "uncontained"), bubblewrap: false });
    rows.push(
      await measure(
        "warm pool, uncontained (unwrapped, user's repository)",
        uncontained,
        repo,
        iterations,
        null,
      ),
    );
    await uncontained.close();
    const fresh = new WorktreeSandboxProvider({ root: join(root, "fresh"), warmPoolSize: 0 });
    rows.push(await measure("fresh worktree on tmpfs", fresh, repo, 10, null));
    await fresh.close();
    const disk = new WorktreeSandboxProvider({
      root: join(tmpdir(), `longshot-bench-disk-${process.pid}`),
      warmPoolSize: 0,
    });
    rows.push(await measure(`fresh worktree in ${tmpdir()}`, disk, repo, 5, null));
    await disk.close();
    rmSync(join(tmpdir(), `longshot-bench-disk-${process.pid}`), { recursive: true, force: true });
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(repo.path, { recursive: true, force: true });
  }
  const report = {
    benchmark: "sandbox-ready",
    date,
    files: fileCount,
    machine: {
      cpus: cpus().length,
      node: process.version,
      git: execFileSync("git", ["--version"], { encoding: "utf8" }).trim(),
    },
    rows,
    yield: paces,
  };
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, `${JSON.stringify(report, null, 2)}\n`);
  const header = [
    "provider",
    "mode",
    "isolation",
    "n",
    "ready p50",
    "ready p95",
    "destroy p50",
    "goal p50",
    "met",
  ];
  const lines = rows.map((row) => [
    row.provider,
    row.mode,
    row.isolation,
    String(row.iterations),
    `${row.readyMs.p50} ms`,
    `${row.readyMs.p95} ms`,
    `${row.destroyMs.p50} ms`,
    row.goalReadyP50Ms === null ? "-" : `≤ ${row.goalReadyP50Ms} ms`,
    row.goalReadyP50Ms === null ? "-" : row.readyMs.p50 <= row.goalReadyP50Ms ? "yes" : "NO",
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => (line[column] ?? "").length)),
  );
  const format = (cells: readonly string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ");
  const pace = (label: string, value: Pace) =>
    `${label}: event-loop p99 ${value.eventLoopP99Ms} ms, ${value.rounds} of ${windowMs / 10} rounds`;
  const yields =
    paces === null
      ? ""
      : `\nbeside ${paces.busyPrograms} busy programs\n  ${pace("in sandboxes (background)", paces.sandboxed)}\n  ${pace("at normal priority", paces.normalPriority)}\n`;
  process.stdout.write(
    `${[format(header), ...lines.map(format)].join("\n")}\n${yields}\nwritten to ${output}\n`,
  );
}

await main();
