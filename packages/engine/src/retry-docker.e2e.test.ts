import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DockerSandboxProvider } from "@longshot/sandbox-docker";
import Docker from "dockerode";
import { afterEach, describe, expect, it } from "vitest";
import { type SampleRun, sampleRun } from "./__fixtures__/sample-run.js";

const buildScript = fileURLToPath(new URL("../../../scripts/build-worker-image.sh", import.meta.url));

/** Empty when the engine answers and the worker image exists (built offline when missing). */
function dockerProblem(): string {
  const ping = spawnSync("docker", ["version", "--format", "{{.Server.Version}}"], { encoding: "utf8" });
  if (ping.status !== 0) return `no Docker engine answers (${ping.stderr.trim() || "docker not found"})`;
  const build = spawnSync("bash", [buildScript], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  return build.status === 0 ? "" : `scripts/build-worker-image.sh failed: ${build.stderr.trim()}`;
}

const problem = dockerProblem();
if (problem !== "" && process.env.LONGSHOT_REQUIRE_DOCKER === "1") {
  throw new Error(`LONGSHOT_REQUIRE_DOCKER=1 but ${problem}`);
}
if (problem !== "")
  process.stderr.write(`\n*** SKIPPING the engine's Docker retry test: ${problem}. ***\n\n`);

let sample: SampleRun | null = null;
let workspaceRoot: string | null = null;
afterEach(async () => {
  await sample?.close();
  sample = null;
  if (workspaceRoot !== null) rmSync(workspaceRoot, { recursive: true, force: true });
  workspaceRoot = null;
});

describe.skipIf(problem !== "")("retries with the Docker provider", () => {
  it("lands a task on its second attempt after the first was rejected, and leaves no task branch", async () => {
    sample = await sampleRun({
      modules: 2,
      workers: 2,
      scenario: { rejectModules: ["sum"] },
      env: { SANDBOX_CPU_CORES: "1", SANDBOX_MEMORY_MB: "1024" },
    });
    workspaceRoot = mkdtempSync(join(tmpdir(), "longshot-engine-docker-"));
    const docker = new Docker();
    const scope = `vitest-engine-${workspaceRoot.slice(-6)}`;
    const sandboxes = new DockerSandboxProvider({ docker, workspaceRoot, scope });
    const runId = "r-docker-retry";
    const { engine, start, integrationBranch } = await sample.open(runId, "Build per SPEC.md", { sandboxes });
    const result = await engine.run(start);
    await sandboxes.close();

    expect(result.status).toBe("green");
    const sum = sample.store.listTasks(runId).find((task) => task.title === "Implement sum");
    expect(sum?.state).toBe("landed");
    const detail = sample.store.getTask(runId, sum?.id ?? "");
    expect(detail?.attempts.map((attempt) => attempt.accepted)).toEqual([false, true]);
    const events = sample.store.events(runId);
    const starts = events.filter((event) => event.type === "attempt-start" && event.taskId === sum?.id);
    expect(starts.map((event) => event.type === "attempt-start" && event.sandbox)).toEqual([
      "docker",
      "docker",
    ]);
    expect(events.filter((event) => event.type === "attempt-end" && event.outcome === "failed")).toEqual([]);

    // The landed work is on the integration branch; no task branch is left in the repository.
    expect(sample.git("show", `${integrationBranch}:src/sum.ts`)).toContain("export function sum");
    expect(sample.git("branch", "--list", `longshot/${runId}/*`, "--format=%(refname:short)")).toBe(
      integrationBranch,
    );
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`longshot.scope=${scope}`] },
    });
    expect(containers).toEqual([]);
  });
});
