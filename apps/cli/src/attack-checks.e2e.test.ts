// A hostile commit meets the merge gate and the Docker provider: the scripted model commits a
// build step and a test that write a host canary and connect to a local port. Whatever runs
// them (the gate before landing, the health checks after) runs them in a sandbox of the run's
// provider: no canary, no connection, and the run records the failure.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LongshotEvent } from "@longshot/core";
import { type LoopbackCanary, startLoopbackCanary } from "@longshot/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AttackTargets, attacks } from "./__fixtures__/attacks.js";
import {
  type FakeServerProcess,
  runCli,
  runEnv,
  sampleRepo,
  startFakeServer,
} from "./__fixtures__/cli-harness.js";
import { cliImage, ensureCliImage } from "./__fixtures__/cli-image.js";

const policyPath = fileURLToPath(new URL("./__fixtures__/attack-policy.mjs", import.meta.url));
/** Generous: a loaded 2-core machine, a Docker image built first, health checks in containers. */
const runTimeoutMs = 20 * 60_000;

let scratch: string;
let listener: LoopbackCanary;
let dockerProblem: string | null = null;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "longshot-attack-checks-"));
  listener = await startLoopbackCanary();
  dockerProblem = await ensureCliImage();
}, 16 * 60_000);

afterAll(async () => {
  await listener.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface HostileRun {
  readonly events: LongshotEvent[];
  readonly outside: string;
  readonly taskId: string;
}

/** One run of the build-script attack alone, with `extra` settings. */
async function hostileRun(name: string, extra: Record<string, string>): Promise<HostileRun> {
  const outside = join(scratch, name, "outside");
  mkdirSync(outside, { recursive: true });
  const repo = sampleRepo(1);
  try {
    const targets: AttackTargets = {
      repo: repo.repo,
      home: join(scratch, name),
      outside,
      port: listener.port,
    };
    const script = join(scratch, name, "attacks.json");
    const attack = attacks(targets).filter((entry) => entry.name === "build-script");
    writeFileSync(script, JSON.stringify({ attacks: attack }));
    writeFileSync(join(scratch, name, "seen.ndjson"), "");
    const server: FakeServerProcess = await startFakeServer(
      { ATTACK_SCRIPT: script, ATTACK_LOG: join(scratch, name, "seen.ndjson") },
      policyPath,
    );
    try {
      const result = await runCli(
        ["Build per SPEC.md", "--repo", repo.repo, "--json"],
        runEnv(server.url, { TASK_MAX_ATTEMPTS: "1", FINALIZATION_MAX_ATTEMPTS: "1", ...extra }),
      );
      const events = result.stdout
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as LongshotEvent);
      expect(
        events.find((event) => event.type === "run-end"),
        result.stderr.slice(-2000),
      ).toBeDefined();
      const added = events.find(
        (event) => event.type === "task-add" && event.task.description.includes("[[attack:"),
      );
      if (added?.type !== "task-add") throw new Error("the attack task was never planned");
      return { events, outside, taskId: added.task.id };
    } finally {
      await server.stop();
    }
  } finally {
    repo.cleanup();
  }
}

/** The test check failed on the hostile test file, in a health sweep. */
function failedOnHostileTest(events: readonly LongshotEvent[]): boolean {
  return events.some(
    (event) =>
      event.type === "health-check" &&
      event.checks.some((check) => check.name === "test" && !check.ok && check.excerpt.includes("zz-evil")),
  );
}

describe("hostile commits at the merge gate and on Docker", () => {
  it(
    "MERGE_GATE=test runs the hostile test in a sandbox: nothing escapes, the gate fails and the task does not land",
    async () => {
      const before = listener.connections;
      const { events, outside, taskId } = await hostileRun("gate", { MERGE_GATE: "test" });
      expect(readdirSync(outside)).toEqual([]);
      expect(listener.connections).toBe(before);
      const gates = events.filter((event) => event.type === "merge-gate" && event.taskIds.includes(taskId));
      expect(gates.length).toBeGreaterThan(0);
      expect(
        gates.every((event) => event.type === "merge-gate" && !event.pass && event.check === "test"),
      ).toBe(true);
      expect(events.some((event) => event.type === "merge-land" && event.taskId === taskId)).toBe(false);
    },
    runTimeoutMs,
  );

  it(
    "SANDBOX_PROVIDER=docker runs the agent, the build and the tests in containers: no host canary, no connection, the test check fails",
    async (context) => {
      if (dockerProblem !== null) {
        context.skip(dockerProblem);
        return;
      }
      const before = listener.connections;
      const { events, outside, taskId } = await hostileRun("docker", {
        SANDBOX_PROVIDER: "docker",
        DOCKER_IMAGE: cliImage,
      });
      expect(existsSync(join(outside, "test-ran"))).toBe(false);
      expect(existsSync(join(outside, "build-ran"))).toBe(false);
      expect(listener.connections).toBe(before);
      expect(events.some((event) => event.type === "merge-land" && event.taskId === taskId)).toBe(true);
      expect(failedOnHostileTest(events)).toBe(true);
      const creates = events.filter((event) => event.type === "sandbox-create");
      expect(creates.length).toBeGreaterThan(1);
      expect(creates.every((event) => event.type === "sandbox-create" && event.provider === "docker")).toBe(
        true,
      );
    },
    runTimeoutMs,
  );
});
