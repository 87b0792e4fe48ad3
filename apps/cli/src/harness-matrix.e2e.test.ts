// Every worker harness on every sandbox that can reach the model gateway, through the real CLI
// against the fake model server: a small scripted build whose every task fails its first attempt
// on purpose, so each task is retried; the run must end green with every call metered.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { harnessKinds, type LongshotEvent } from "@longshot/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliBinDir } from "./__fixtures__/cli-bins.js";
import {
  type FakeServerProcess,
  runCli,
  runEnv,
  sampleRepo,
  startFakeServer,
} from "./__fixtures__/cli-harness.js";
import { cliImage, ensureCliImage } from "./__fixtures__/cli-image.js";

/** Every harness core lists: a new one is in the matrix from its first line in `harnessKinds`. */
const harnesses = harnessKinds;
const policy = fileURLToPath(new URL("./__fixtures__/matrix-policy.mjs", import.meta.url));
/** Generous: a loaded 2-core machine, six CLI attempts, health checks, Docker containers. */
const cellTimeoutMs = 20 * 60_000;

interface MatrixRow {
  readonly harness: string;
  readonly sandbox: string;
  readonly result: string;
  readonly workerCalls: number;
  readonly calls: number;
  readonly tokens: number;
}

const rows: MatrixRow[] = [];
let server: FakeServerProcess;
let bins: string;
let scratch: string;
let dockerProblem: string | null = null;

beforeAll(async () => {
  server = await startFakeServer({}, policy);
  scratch = mkdtempSync(join(tmpdir(), "longshot-matrix-"));
  bins = cliBinDir(join(scratch, "bin"));
  dockerProblem = await ensureCliImage();
}, 16 * 60_000);

afterAll(async () => {
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
  if (rows.length > 0) {
    const lines = rows.map(
      (row) =>
        `| ${row.harness} | ${row.sandbox} | ${row.result} | ${row.workerCalls} | ${row.calls} | ${row.tokens} |`,
    );
    console.log(
      [
        "| harness | sandbox | result | worker calls | model calls | tokens |",
        "|---|---|---|---|---|---|",
        ...lines,
      ].join("\n"),
    );
  }
});

function eventsOf(stdout: string): LongshotEvent[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LongshotEvent);
}

async function runCell(harness: string, sandbox: "local" | "docker"): Promise<void> {
  const repo = sampleRepo(1);
  try {
    const env = runEnv(server.url, {
      WORKER_HARNESS: harness,
      SANDBOX_PROVIDER: sandbox,
      SANDBOX_PATH: bins,
      DOCKER_IMAGE: cliImage,
      MAX_WORKERS: "2",
      TASK_MAX_ATTEMPTS: "3",
      AGENT_MAX_TURNS: "8",
      // The real key of the run: it must never reach a sandbox (checked by the egress test).
      LLM_API_KEY: "sk-matrix-real-key-0123456789",
    });
    const result = await runCli(["Build per SPEC.md", "--repo", repo.repo, "--json"], env);
    const events = eventsOf(result.stdout);
    const ends = events.filter((event) => event.type === "attempt-end");
    const calls = events.filter((event) => event.type === "model-call-end");
    const worker = calls.filter((event) => event.role === "worker");
    const tokens = calls.reduce(
      (sum, event) => sum + event.usage.promptTokens + event.usage.completionTokens,
      0,
    );
    rows.push({
      harness,
      sandbox,
      result: result.code === 0 ? "green" : `exit ${result.code}`,
      workerCalls: worker.length,
      calls: calls.length,
      tokens,
    });
    const reasons = ends.map((end) => `${end.taskId} attempt ${end.attempt}: ${end.outcome}: ${end.reason}`);
    expect(result.code, [result.stderr.slice(-2000), ...reasons].join("\n")).toBe(0);
    // Every task failed its first attempt and completed its second.
    const byTask = new Map<string, string[]>();
    for (const end of ends) byTask.set(end.taskId, [...(byTask.get(end.taskId) ?? []), end.outcome]);
    expect(byTask.size).toBe(3);
    for (const outcomes of byTask.values()) expect(outcomes).toEqual(["failed", "complete"]);
    // Every worker call was metered under its task and attempt, whichever harness made it.
    expect(worker.length).toBeGreaterThanOrEqual(byTask.size * 2);
    expect(worker.every((event) => event.taskId !== null && event.attempt !== undefined)).toBe(true);
    const runId = events[0]?.runId ?? "";
    const report = readFileSync(join(repo.repo, ".git", "longshot", "runs", runId, "report.md"), "utf8");
    expect(report).toContain(`${calls.length} model calls`);
  } finally {
    repo.cleanup();
  }
}

describe.each(["local", "docker"] as const)("the %s sandbox", (sandbox) => {
  it.for(harnesses)(
    "%s builds the sample with a forced first-attempt failure, every call metered",
    { timeout: cellTimeoutMs },
    async (harness, context) => {
      if (sandbox === "docker" && dockerProblem !== null) {
        context.skip(dockerProblem);
        return;
      }
      await runCell(harness, sandbox);
    },
  );
});
