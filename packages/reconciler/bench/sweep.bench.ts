/**
 * Health-sweep benchmark: the reconciler's checks (build and test of the sample library) on a
 * run of landings, once in contained sandboxes (bubblewrap, made from the run's sandboxes'
 * repository: the product's path) and once uncontained (unwrapped on the user's repository,
 * what running the checks on the host costs), interleaved commit by commit in the same run so
 * both see the same machine load. Reports the sweep time of each and the overhead of
 * containment.
 *
 *   node bench/sweep.bench.ts [output.json] [--landings N]
 *
 * Writes JSON (default `bench/results/sweep-<date>.json` at the repository root) and prints a
 * table. Not part of the test suite: timings are machine-bound.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Git, ProcessGitRunner } from "@longshot/git";
import { CheckWorkspace } from "@longshot/reconciler";
import {
  defaultSandboxLimits,
  defaultSandboxPath,
  RepositorySandboxProvider,
  type SandboxProvider,
  SandboxRepository,
  WorktreeSandboxProvider,
} from "@longshot/sandbox";
import { createSampleRepo, sampleModules } from "@longshot/testkit";

const goalOverhead = 0.1;

/** The repository root, three levels above this file (packages/<name>/bench/), as the other package benchmarks find it. */
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return Math.round((sorted[index] ?? Number.NaN) * 10) / 10;
}

/** The sample library with its first module, then one landing per further module. */
function landings(dir: string, count: number): { path: string; commits: string[] } {
  const path = join(dir, "repo");
  const modules = sampleModules.slice(0, count + 1);
  createSampleRepo(path, modules.slice(0, 0));
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: path,
      encoding: "utf8",
      env: {
        PATH: "/usr/local/bin:/usr/bin:/bin",
        HOME: dir,
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_AUTHOR_NAME: "Bench",
        GIT_AUTHOR_EMAIL: "bench@example.com",
        GIT_COMMITTER_NAME: "Bench",
        GIT_COMMITTER_EMAIL: "bench@example.com",
      },
    }).trim();
  const commits = [git("rev-parse", "HEAD")];
  for (const module of modules) {
    writeFileSync(join(path, "src", `${module.name}.ts`), module.source);
    writeFileSync(join(path, "src", `${module.name}.test.ts`), module.test);
    git("add", "--all");
    git("commit", "--quiet", "--message", `Land ${module.name}`);
    commits.push(git("rev-parse", "HEAD"));
  }
  return { path, commits };
}

function workspace(provider: SandboxProvider, repoPath: string): CheckWorkspace {
  const runner = new ProcessGitRunner();
  let opened = 0;
  return new CheckWorkspace({
    git: new Git(repoPath, { runner }),
    gitRunner: runner,
    overrides: { build: "node scripts/build.mjs", test: "node --test" },
    openSandbox: (purpose, commit, signal) => {
      opened += 1;
      return provider.create({
        repoPath,
        baseCommit: commit,
        runId: "rbench",
        taskId: `${purpose}-${opened}`,
        branch: `longshot/rbench/${purpose}-${opened}`,
        limits: { ...defaultSandboxLimits, wallTimeoutMs: 3_600_000, idleTimeoutMs: 3_600_000 },
        ...(signal === undefined ? {} : { signal }),
      });
    },
  });
}

async function main(): Promise<void> {
  const date = new Date().toISOString();
  const args = process.argv.slice(2);
  const countAt = args.indexOf("--landings");
  const count = countAt >= 0 ? Number(args[countAt + 1]) : 12;
  const outputArg = args.find((arg, index) => !arg.startsWith("--") && args[index - 1] !== "--landings");
  const output = resolve(outputArg ?? join(repoRoot, "bench", "results", `sweep-${date.slice(0, 10)}.json`));
  const dir = mkdtempSync(join(tmpdir(), "longshot-bench-sweep-"));
  const root = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "longshot-bench-sweep-"));
  const path = `${dirname(process.execPath)}:${defaultSandboxPath}`;
  const times = { contained: [] as number[], uncontained: [] as number[] };
  let green = { contained: 0, uncontained: 0 };
  try {
    const repo = landings(dir, count);
    const repository = await SandboxRepository.open({
      source: repo.path,
      path: join(root, "repositories", "rbench.git"),
      root: repo.commits[0]!,
    });
    const contained = new RepositorySandboxProvider(
      new WorktreeSandboxProvider({ root: join(root, "contained"), path, hiddenPaths: [repo.path] }),
      repository,
    );
    const uncontained = new WorktreeSandboxProvider({
      root: join(root, "uncontained"),
      path,
      bubblewrap: false,
    });
    const checks = {
      contained: workspace(contained, repo.path),
      uncontained: workspace(uncontained, repo.path),
    };
    for (const [index, commit] of repo.commits.entries()) {
      // Alternate which goes first, so neither always follows the other's warm caches.
      const order =
        index % 2 === 0 ? (["contained", "uncontained"] as const) : (["uncontained", "contained"] as const);
      for (const mode of order) {
        const started = performance.now();
        const run = await checks[mode].run(commit);
        times[mode].push(performance.now() - started);
        if (run.green) green = { ...green, [mode]: green[mode] + 1 };
      }
    }
    await checks.contained.close();
    await checks.uncontained.close();
    await contained.close();
    await uncontained.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  }
  // The first sweep of each creates its sandbox; the steady state is what every landing pays.
  const steady = (values: number[]) => values.slice(1);
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const overhead = sum(steady(times.contained)) / sum(steady(times.uncontained)) - 1;
  const row = (mode: "contained" | "uncontained") => ({
    mode,
    sweeps: times[mode].length,
    green: green[mode],
    firstMs: Math.round(times[mode][0] ?? 0),
    sweepMs: { p50: percentile(steady(times[mode]), 0.5), p95: percentile(steady(times[mode]), 0.95) },
  });
  const report = {
    benchmark: "health-sweep",
    date,
    landings: count,
    machine: { cpus: cpus().length, node: process.version, load: loadavg()[0] },
    rows: [row("contained"), row("uncontained")],
    overhead: Math.round(overhead * 1000) / 1000,
    goalOverhead,
  };
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, `${JSON.stringify(report, null, 2)}\n`);
  const lines = report.rows.map(
    (entry) =>
      `${entry.mode.padEnd(12)} sweeps ${entry.sweeps} (green ${entry.green})  first ${entry.firstMs} ms  p50 ${entry.sweepMs.p50} ms  p95 ${entry.sweepMs.p95} ms`,
  );
  const verdict = overhead <= goalOverhead ? "yes" : "NO";
  process.stdout.write(
    `${lines.join("\n")}\noverhead of containment ${(overhead * 100).toFixed(1)}% (goal ≤ ${goalOverhead * 100}%: ${verdict})\n\nwritten to ${output}\n`,
  );
}

await main();
