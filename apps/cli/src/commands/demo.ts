import { existsSync, mkdirSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type LoadedConfig, loadConfig, throwIfAborted, UserError } from "@longshot/core";
import {
  createSampleRepo,
  type FakeRequest,
  sampleModules,
  startFakeLlm,
  swarmPolicy,
} from "@longshot/testkit";
import type { OutputMode, RunDisplay } from "../event-output.js";
import { probeIsolation } from "../isolation-probe.js";
import { type Output, upperFirst } from "../output.js";
import { toolPath } from "../run-context.js";
import { demoBudgetUsd, demoWorkers, openDemoDisplay } from "./demo-display.js";
import { runCommand } from "./run.js";

export interface DemoOptions {
  readonly output: Output;
  readonly env: NodeJS.ProcessEnv;
  readonly mode: OutputMode;
  /** Where to create the sample repository; a new temporary directory by default. */
  readonly dir?: string;
  /** Configuration flags the user gave (workers, for instance). */
  readonly flags: Readonly<Record<string, string>>;
  /** Scale of the simulated model's latency; 1 is the demo's pace, 0 for tests. */
  readonly latencyScale?: number;
  /** The display, when already open (`openDemoDisplay`). */
  readonly display?: RunDisplay;
}

/** A small seeded generator, so every demo draws the same latencies. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export const demoNotice =
  "longshot demo: the model is SIMULATED. A scripted local server plays planner, workers and judge over the real OpenAI protocol; everything else (planning, git worktrees, the agent's tool calls, the merge queue, health checks and fix tasks) is the real pipeline.";

/**
 * `longshot demo`: needs no key and no service. Creates a sample TypeScript library repository
 * with a SPEC.md, starts the scripted model server, and runs the real pipeline on it: about 40
 * tasks, conflicts in a shared file and one build break that the reconciler repairs.
 */
export async function demoCommand(options: DemoOptions): Promise<number> {
  // Ctrl+C while the sample is made: stop before the run starts (the run then takes over).
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once("SIGINT", onSignal);
  const display = options.display ?? (await openDemoDisplay(options.mode, options.output, options.flags));
  display.onInterrupt(onSignal);
  try {
    display.progress("starting: creating the sample repository…");
    return await runDemo(options, display, controller.signal);
  } finally {
    process.off("SIGINT", onSignal);
    await display.close();
  }
}

async function runDemo(options: DemoOptions, display: RunDisplay, signal: AbortSignal): Promise<number> {
  const base = options.dir ? resolve(options.dir) : mkdtempSync(join(tmpdir(), "longshot-demo-"));
  const repo = join(base, "sample-utils");
  if (existsSync(base) && !statSync(base).isDirectory()) {
    throw new UserError(
      `--dir ${options.dir} is a file; give a folder (created when missing) for the sample repository.`,
    );
  }
  if (existsSync(repo)) {
    throw new UserError(
      `${repo} exists already (an earlier demo's?); the demo starts from a fresh sample, so remove it or give another --dir.`,
    );
  }
  mkdirSync(base, { recursive: true });
  const modules = sampleModules.slice(0, 40);
  createSampleRepo(repo, modules);
  const policy = swarmPolicy({
    modules,
    batchSize: 14,
    breakModules: ["median"],
    sharedIndexEvery: 5,
    runTests: true,
  });
  const random = seeded(42);
  const scale = options.latencyScale ?? 1;
  const server = await startFakeLlm({
    policy,
    models: ["demo-model", "demo-alt"],
    latency: (request: FakeRequest) => scale * (request.role === "planner" ? 900 : 500 + random() * 1200),
  });
  try {
    const settings = {
      LLM_BASE_URL: server.url,
      LLM_API_KEY: "demo-key-not-a-secret",
      LLM_MODEL: "demo-model",
      LLM_ALT_WORKER_MODEL: "demo-alt",
      MAX_WORKERS: demoWorkers,
      HEALTH_CHECK_INTERVAL: "5",
      BUILD_COMMAND: "node scripts/build.mjs",
      TEST_COMMAND: "node --test",
      // Priced like a mid-range hosted model, so the dashboard's cost and budget bar mean something.
      LLM_PRICES: JSON.stringify({
        "demo-model": { input: 3, output: 15 },
        "demo-alt": { input: 3, output: 15 },
      }),
      MAX_COST_USD: demoBudgetUsd,
      ...options.flags,
    };
    const { loaded, notice } = await demoConfig(settings, options);
    const { config, secrets } = loaded;
    throwIfAborted(signal);
    display.progress("starting: the simulated model server is up; opening the run…");
    const code = await runCommand({
      config,
      secrets,
      repo,
      request: "Build per SPEC.md",
      mode: options.mode,
      output: options.output,
      env: options.env,
      banner: notice === null ? demoNotice : `${demoNotice} ${notice}`,
      stoppedAdvice:
        "The demo stopped. It cannot be resumed (its simulated model ended with it): run longshot demo again.",
      display,
    });
    await display.close();
    options.output.err(`The sample repository is at ${repo} (try: longshot runs --repo ${repo}).`);
    return code;
  } finally {
    await server.close();
  }
}

/**
 * The demo's configuration with the sandbox it can use here: local sandboxes when this machine
 * can isolate them (or whatever --sandbox chose), else plain worktrees, said in one line. The
 * demo's commands are its own scripted ones, so it still shows the whole pipeline where a run on
 * a repository would refuse until isolation works (no bubblewrap, a container without user
 * namespaces).
 */
async function demoConfig(
  settings: Readonly<Record<string, string>>,
  options: DemoOptions,
): Promise<{ readonly loaded: LoadedConfig; readonly notice: string | null }> {
  const loaded = loadConfig({ flags: settings });
  if (settings.SANDBOX_PROVIDER !== undefined) return { loaded, notice: null };
  const report = await probeIsolation(loaded.config, { path: toolPath(loaded.config), env: options.env });
  if (report.status !== "unavailable") return { loaded, notice: null };
  return {
    loaded: loadConfig({ flags: { ...settings, SANDBOX_PROVIDER: "none" } }),
    notice: `${upperFirst(report.detail.split(";")[0] ?? "")}, so the demo runs its own scripted commands in plain worktrees; runs on your repositories refuse until longshot doctor passes.`,
  };
}
