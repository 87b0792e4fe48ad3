/**
 * Benchmark: Docker sandbox ready time (create → first exec) and destroy time on a generated
 * 2,000-file repository, p50/p95 per delivery mode. Writes JSON to bench/results/ at the
 * repository root and prints a table with the goal (Docker p50 ≤ 1 s).
 *
 *   pnpm --filter @longshot/sandbox-docker bench [-- --iterations 20]
 *
 * Honours DOCKER_HOST; builds the worker image with scripts/build-worker-image.sh when missing.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultSandboxLimits } from "@longshot/sandbox";
import Docker from "dockerode";
import { DockerSandboxProvider } from "../docker-sandbox-provider.js";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const iterationsFlag = process.argv.indexOf("--iterations");
const iterations = Number(iterationsFlag < 0 ? "20" : process.argv[iterationsFlag + 1]);
const warmup = 2;
const fileCount = 2_000;
const goalReadyP50Ms = 1_000;

interface Sample {
  readonly readyMs: number;
  readonly destroyMs: number;
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function generateRepo(): { path: string; base: string } {
  const path = mkdtempSync(join(tmpdir(), "longshot-bench-repo-"));
  for (let index = 0; index < fileCount; index++) {
    const dir = join(path, `pkg${index % 40}`, `mod${index % 7}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `file${index}.ts`),
      `export const value${index} = ${index};\n// ${"x".repeat(index % 200)}\n`,
    );
  }
  const git = (...args: string[]): string =>
    execFileSync("git", args, {
      cwd: path,
      encoding: "utf8",
      env: {
        PATH: "/usr/local/bin:/usr/bin:/bin",
        HOME: path,
        GIT_AUTHOR_NAME: "Bench",
        GIT_AUTHOR_EMAIL: "bench@example.com",
        GIT_COMMITTER_NAME: "Bench",
        GIT_COMMITTER_EMAIL: "bench@example.com",
      },
    }).trim();
  git("init", "--quiet", "--initial-branch=main");
  git("add", "--all");
  git("commit", "--quiet", "--message", "2,000 files");
  return { path, base: git("rev-parse", "HEAD") };
}

async function measure(
  delivery: "worktree" | "bundle",
  repo: { path: string; base: string },
  docker: Docker,
): Promise<Sample[]> {
  const workspaceRoot = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "longshot-bench-"));
  const provider = new DockerSandboxProvider({ docker, workspaceRoot, delivery, scope: `bench-${delivery}` });
  const samples: Sample[] = [];
  try {
    for (let index = 0; index < warmup + iterations; index++) {
      const taskId = `t${String(index).padStart(4, "0")}`;
      const started = performance.now();
      const sandbox = await provider.create({
        repoPath: repo.path,
        baseCommit: repo.base,
        runId: `rbench-${delivery}`,
        taskId,
        branch: `longshot/rbench-${delivery}/${taskId}`,
        limits: { ...defaultSandboxLimits, cpuCores: 1 },
      });
      const first = await sandbox.exec({ command: "true" });
      if (first.exitCode !== 0) throw new Error(`first exec failed: ${first.stderr}`);
      const ready = performance.now();
      await sandbox.destroy();
      const destroyed = performance.now();
      if (index >= warmup) samples.push({ readyMs: ready - started, destroyMs: destroyed - ready });
    }
  } finally {
    await provider.cleanOrphans([]);
    rmSync(workspaceRoot, { recursive: true, force: true });
  }
  return samples;
}

async function main(): Promise<void> {
  const build = spawnSync("bash", [join(repoRoot, "scripts/build-worker-image.sh")], { stdio: "inherit" });
  if (build.status !== 0) throw new Error("scripts/build-worker-image.sh failed");
  const docker = new Docker();
  const repo = generateRepo();
  const rows: Array<Record<string, number | string | boolean>> = [];
  try {
    for (const delivery of ["worktree", "bundle"] as const) {
      const samples = await measure(delivery, repo, docker);
      const ready = samples.map((sample) => sample.readyMs);
      const destroy = samples.map((sample) => sample.destroyMs);
      rows.push({
        provider: "docker",
        delivery,
        iterations: samples.length,
        readyP50Ms: Math.round(percentile(ready, 0.5)),
        readyP95Ms: Math.round(percentile(ready, 0.95)),
        destroyP50Ms: Math.round(percentile(destroy, 0.5)),
        destroyP95Ms: Math.round(percentile(destroy, 0.95)),
        goalReadyP50Ms: goalReadyP50Ms,
        meetsGoal: percentile(ready, 0.5) <= goalReadyP50Ms,
      });
    }
  } finally {
    rmSync(repo.path, { recursive: true, force: true });
  }
  const output = join(repoRoot, "bench/results/sandbox-docker.json");
  mkdirSync(join(repoRoot, "bench/results"), { recursive: true });
  const engine = await docker.version();
  writeFileSync(
    output,
    `${JSON.stringify({ benchmark: "sandbox-ready", files: fileCount, engine: engine.Version, results: rows }, null, 2)}\n`,
  );
  const header = "delivery   ready p50  ready p95  destroy p50  destroy p95  goal (p50)";
  const lines = rows.map(
    (row) =>
      `${String(row.delivery).padEnd(10)} ${`${row.readyP50Ms} ms`.padStart(9)}  ${`${row.readyP95Ms} ms`.padStart(9)}  ${`${row.destroyP50Ms} ms`.padStart(11)}  ${`${row.destroyP95Ms} ms`.padStart(11)}  ≤ ${goalReadyP50Ms} ms ${row.meetsGoal ? "met" : "MISSED"}`,
  );
  process.stdout.write(
    `\nDocker sandbox, ${fileCount}-file repository, ${iterations} runs each\n${header}\n${lines.join("\n")}\n\nwrote ${output}\n`,
  );
}

await main();
