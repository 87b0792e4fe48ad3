import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type Config, EmitRelay, loadConfig, silentLogger, systemClock } from "@longshot/core";
import { createHarness, type CheckCommand, type Harness } from "@longshot/agent";
import { type LanguageModel, type ModelClient, modelClientFromConfig } from "@longshot/llm";
import { defaultSandboxPath, WorktreeSandboxProvider } from "@longshot/sandbox";
import { SqliteStore } from "@longshot/store";
import {
  type FakeLlmServer,
  type PolicyObject,
  type SampleModule,
  type SwarmScenario,
  type SwarmStats,
  startSampleSwarm,
  writeAndCommit,
} from "@longshot/testkit";
import { perTest } from "@longshot/testkit/per-test";
import { type OpenedRun, type OpenRunOptions, openRun } from "../open-run.js";
import { longshotIdentity } from "../run-setup.js";

/** PATH for sandboxes: this process's Node first, so the sample's TypeScript runs natively. */
export const sandboxPath = `${dirname(process.execPath)}:${defaultSandboxPath}`;

/** The built-in agent on `model`, as the app's composition root builds it for WORKER_HARNESS=builtin. */
export function builtinHarness(config: Config, model: LanguageModel, checks: readonly CheckCommand[]): Harness {
  return createHarness("builtin", {
    languageModel: model,
    contextTokens: config.LLM_CONTEXT_TOKENS,
    clock: systemClock,
    author: longshotIdentity,
    checks,
  });
}

export interface SampleRun {
  readonly dir: string;
  readonly repo: string;
  readonly server: FakeLlmServer;
  readonly stats: SwarmStats;
  readonly store: SqliteStore;
  readonly config: Config;
  readonly model: ModelClient;
  readonly sandboxes: WorktreeSandboxProvider;
  readonly modules: readonly SampleModule[];
  open(runId: string, request: string | null, extra?: Partial<OpenRunOptions>): Promise<OpenedRun>;
  /** Runs git in the sample repository. */
  git(...args: string[]): string;
  close(): Promise<void>;
}

/** Options of {@link sampleRun}. */
export interface SampleRunOptions {
  readonly modules: number;
  readonly workers: number;
  readonly scenario?: Partial<SwarmScenario>;
  readonly env?: Record<string, string>;
  /** Files committed on top of the sample before the run (path → content). */
  readonly files?: Record<string, string>;
  /** Changes how the simulated model plays (critics besides the swarm, say). */
  readonly policy?: (swarm: PolicyObject & { readonly stats: SwarmStats }) => PolicyObject;
  /** Model ids the fake serves besides fake-model and fake-alt. */
  readonly models?: readonly string[];
}

/**
 * For a test file: opens a sample as `sampleRun` does and closes it after the test (register it
 * once, at the top of the file).
 */
export function samplePerTest(): (options: SampleRunOptions) => Promise<SampleRun> {
  return perTest(sampleRun, (sample) => sample.close());
}

/** A sample repository, the fake model playing the swarm, a store and a sandbox provider. */
export async function sampleRun(options: SampleRunOptions): Promise<SampleRun> {
  const dir = mkdtempSync(join(tmpdir(), "longshot-e2e-"));
  const { repo, modules, server, stats, env } = await startSampleSwarm(join(dir, "repo"), options);
  if (options.files) await writeAndCommit(repo, options.files, "Add files");
  const { config } = loadConfig({ env: { ...env, ...options.env } });
  const controller = new AbortController();
  // Model calls are recorded in whichever run is open (one at a time per sample).
  const events = new EmitRelay();
  const { client: model } = await modelClientFromConfig(config, { signal: controller.signal, emit: events.emit });
  const store = new SqliteStore(join(repo, ".git", "longshot", "longshot.db"), { clock: systemClock });
  const sandboxes = new WorktreeSandboxProvider({ root: join(dir, "sandboxes"), path: sandboxPath });
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
  return {
    dir,
    repo,
    server,
    stats,
    store,
    config,
    model,
    sandboxes,
    modules,
    git,
    open: async (runId, request, extra = {}) => {
      const checks = [{ name: "build", command: "node scripts/build.mjs" }];
      const opened = await openRun({
        repoPath: repo,
        config,
        runId,
        request,
        store,
        model,
        sandboxes,
        harness: builtinHarness(config, model, checks),
        clock: systemClock,
        logger: silentLogger(),
        stateDir: join(repo, ".git", "longshot"),
        checks,
        toolPath: sandboxPath,
        ...extra,
      });
      events.bind((event) => opened.engine.append(event));
      return opened;
    },
    async close() {
      controller.abort();
      store.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
