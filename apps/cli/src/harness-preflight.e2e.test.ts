// A CLI worker harness is checked inside the chosen sandbox before anything is planned, and the
// model gateway holds a CLI to the run's budget: the real CLI against the fake model server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LongshotEvent } from "@longshot/core";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliBinDir } from "./__fixtures__/cli-bins.js";
import {
  type FakeServerProcess,
  footprint,
  freshSampleRepos,
  runCli,
  runEnv,
  type SampleRepo,
  startFakeServer,
} from "./__fixtures__/cli-harness.js";

const policy = fileURLToPath(new URL("./__fixtures__/matrix-policy.mjs", import.meta.url));
let server: FakeServerProcess;
let scratch: string;
let bins: string;
const fresh = freshSampleRepos(1);

beforeAll(async () => {
  server = await startFakeServer({}, policy);
  scratch = mkdtempSync(join(tmpdir(), "longshot-preflight-"));
  bins = cliBinDir(join(scratch, "bin"));
});
afterAll(async () => {
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function refusedStart(repo: SampleRepo, extra: Record<string, string>): Promise<string> {
  const before = footprint(repo);
  const result = await runCli(
    ["Build per SPEC.md", "--repo", repo.repo, "--no-dashboard"],
    runEnv(server.url, extra),
  );
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(footprint(repo)).toBe(before);
  return lines[0]!;
}

describe("a CLI harness the sandbox cannot run", () => {
  it("stops the run before planning when the local sandbox cannot see the CLI, saying where to put it", async () => {
    const line = await refusedStart(fresh(), { WORKER_HARNESS: "codex", SANDBOX_PROVIDER: "local" });
    expect(line).toMatch(
      /^error: codex does not run in the local sandbox: `codex --version` exited with code \d+.*; install it \(npm install -g @openai\/codex\) or put the directory holding codex in SANDBOX_PATH\.$/,
    );
    expect(server.url).toBeTruthy();
  });

  it("stops the run before planning on a cloud sandbox that has no route to the gateway", async () => {
    const line = await refusedStart(fresh(), {
      WORKER_HARNESS: "pi",
      SANDBOX_PROVIDER: "e2b",
      E2B_API_KEY: "e2b_unused",
    });
    expect(line).toBe(
      "error: WORKER_HARNESS=pi on SANDBOX_PROVIDER=e2b needs GATEWAY_PUBLIC_URL: an https address (a tunnel or reverse proxy) that reaches longshot's model gateway at GATEWAY_LISTEN (127.0.0.1:8787) on this machine; set it, or use --sandbox local or docker, or the builtin harness.",
    );
    const routed = await refusedStart(fresh(), {
      WORKER_HARNESS: "codex",
      SANDBOX_ROUTES: '[{"provides":["large"],"sandbox":"modal"}]',
      MODAL_TOKEN_ID: "ak-unused",
      MODAL_TOKEN_SECRET: "as-unused",
      SANDBOX_PATH: bins,
    });
    expect(routed).toMatch(
      /^error: WORKER_HARNESS=codex on a SANDBOX_ROUTES sandbox \(modal\) needs GATEWAY_PUBLIC_URL: /,
    );
  });

  it("doctor runs the CLI inside the sandbox: ready with SANDBOX_PATH, a failed check without", async () => {
    const env = (extra: Record<string, string>) => runEnv(server.url, { WORKER_HARNESS: "pi", ...extra });
    const ready = await runCli(["doctor"], env({ SANDBOX_PATH: bins }));
    expect(ready.stdout).toMatch(/ok +harness +pi 0\.87\.1 answers in the local sandbox/);
    const missing = await runCli(["doctor"], env({}));
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/FAIL +harness +pi does not run in the local sandbox/);
  });

  it("stops the run before planning when the Docker image has no CLIs", async (context) => {
    try {
      await new Docker().ping();
    } catch (error) {
      if (process.env.LONGSHOT_REQUIRE_DOCKER === "1") throw error;
      context.skip(`no Docker engine answers: ${String(error)}`);
      return;
    }
    const line = await refusedStart(fresh(), {
      WORKER_HARNESS: "claude-code",
      SANDBOX_PROVIDER: "docker",
      DOCKER_IMAGE: "longshot-worker:latest",
    });
    expect(line).toMatch(
      /^error: claude does not run in the Docker sandbox \(image longshot-worker:latest\): .*; build the worker image with the CLIs \(bash scripts\/build-worker-image\.sh --cli\) and set DOCKER_IMAGE=longshot-worker-cli:latest\.$/,
    );
  });
});

describe("a Codex run under --max-tokens", () => {
  it("stops within one call of the budget, and the report counts the tokens Codex used", async () => {
    const repo = fresh();
    const budget = 40_000;
    const result = await runCli(
      ["Build per SPEC.md", "--repo", repo.repo, "--json", "--max-tokens", String(budget)],
      runEnv(server.url, { WORKER_HARNESS: "codex", SANDBOX_PATH: bins, LLM_MAX_TOKENS: "1024" }),
    );
    const events = result.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as LongshotEvent);
    expect(result.code, result.stderr.slice(-2000)).toBe(1);
    const calls = events.filter((event) => event.type === "model-call-end");
    const sizes = calls.map((event) => event.usage.promptTokens + event.usage.completionTokens);
    const used = sizes.reduce((sum, size) => sum + size, 0);
    const worker = calls.filter((event) => event.role === "worker");
    expect(worker.length).toBeGreaterThan(0);
    expect(worker.every((event) => event.taskId !== null && event.attempt !== undefined)).toBe(true);
    expect(events).toContainEqual(
      expect.objectContaining({ type: "budget-refuse", scope: "run", kind: "tokens" }),
    );
    expect(events).toContainEqual(expect.objectContaining({ type: "attempt-end", outcome: "budget" }));
    // Every call is checked against the budget before it is sent.
    expect(used).toBeLessThanOrEqual(budget + Math.max(...sizes));
    const runId = events[0]?.runId ?? "";
    const report = await import("node:fs").then((fs) =>
      fs.readFileSync(join(repo.repo, ".git", "longshot", "runs", runId, "report.md"), "utf8"),
    );
    expect(report).toContain(`${(used / 1000).toFixed(1)}k tokens · ${calls.length} model calls`);
  });
});
