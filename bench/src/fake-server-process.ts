/**
 * The fake model server of a swarm benchmark, in its own process so its CPU is not counted as
 * the orchestrator's. Plays planner, workers and judge with the testkit's swarm policy on the
 * benchmark's modules, delays every reply by the latency model, prints its base URL, and on
 * SIGTERM writes the call log (and any failures) to the file it was given, then exits.
 *
 *   node src/fake-server-process.ts '<FakeServerConfig as JSON>'
 */
import { writeFileSync } from "node:fs";
import { startFakeLlm, swarmPolicy } from "@longshot/testkit";
import { benchModules } from "./bench-repo.ts";
import type { CallRecord } from "./ideal-inputs.ts";
import { callKey, drawLatencyMs, type LatencyModel } from "./latency-model.ts";

export interface FakeServerConfig {
  readonly modules: number;
  readonly batchSize: number;
  readonly sharedIndexEvery: number;
  readonly carelessResolutionEvery: number;
  readonly latency: LatencyModel;
  /** Multiplies every drawn latency (see SwarmConfig.timeScale). */
  readonly timeScale: number;
  readonly exploreTurns: number;
  /** Where the call log goes on SIGTERM. */
  readonly callLog: string;
}

/** What the server process writes on SIGTERM. */
export interface FakeServerReport {
  readonly calls: readonly CallRecord[];
  readonly failures: readonly string[];
  readonly stats: { planner: number; worker: number; judge: number; rejections: number; fixes: number };
}

const config = JSON.parse(process.argv[2] ?? "{}") as FakeServerConfig;
const modules = benchModules(config.modules);
const policy = swarmPolicy({
  modules,
  batchSize: config.batchSize,
  sharedIndexEvery: config.sharedIndexEvery,
  carelessResolutionEvery: config.carelessResolutionEvery,
  exploreTurns: config.exploreTurns,
});
const calls: CallRecord[] = [];
const seen = new Map<string, number>();
const server = await startFakeLlm({
  policy,
  models: ["fake-model", "fake-alt"],
  latency: (request) => {
    const role = request.role ?? "unknown";
    const taskId = request.headers["x-longshot-task"] ?? null;
    const prefix = `${role}|${taskId ?? "-"}`;
    const index = seen.get(prefix) ?? 0;
    seen.set(prefix, index + 1);
    const latencyMs = Math.round(
      drawLatencyMs(config.latency, callKey(role, taskId, index)) * config.timeScale,
    );
    calls.push({
      index: request.index,
      role,
      taskId,
      latencyMs,
      turn: request.messages.filter((message) => message.role === "assistant").length,
      receivedAt: request.receivedAt,
    });
    return latencyMs;
  },
});
process.stdout.write(`${server.url}\n`);
process.once("SIGTERM", () => {
  const { planner, worker, judge, rejections, fixes } = policy.stats;
  const report: FakeServerReport = {
    calls,
    failures: server.failures,
    stats: { planner, worker, judge, rejections, fixes },
  };
  writeFileSync(config.callLog, JSON.stringify(report));
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
