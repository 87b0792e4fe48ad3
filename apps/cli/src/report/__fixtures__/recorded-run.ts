import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createHarness } from "@longshot/agent";
import { EmitRelay, loadConfig, silentLogger, systemClock } from "@longshot/core";
import { longshotIdentity, openRun } from "@longshot/engine";
import { modelClientFromConfig } from "@longshot/llm";
import { defaultSandboxPath, WorktreeSandboxProvider } from "@longshot/sandbox";
import { SqliteStore } from "@longshot/store";
import { type SwarmScenario, startSampleSwarm } from "@longshot/testkit";
import { afterAll, beforeAll } from "vitest";
import { landTarget } from "../../land-target.js";

export interface RecordedRun {
  readonly store: SqliteStore;
  readonly runId: string;
  readonly dir: string;
  close(): void;
}

/**
 * Records the named runs once for a test file, before its tests (two minutes at most, the
 * engine running for real), and closes them after its tests. Read a run's fields inside tests:
 * reading one before the runs are recorded throws.
 */
export function recordRunsForFile<Name extends string>(
  runs: Readonly<Record<Name, RecordOptions>>,
): Readonly<Record<Name, RecordedRun>> {
  const names = Object.keys(runs) as Name[];
  const recorded = new Map<Name, RecordedRun>();
  beforeAll(async () => {
    for (const name of names) recorded.set(name, await recordRun(runs[name]));
  }, 120_000);
  afterAll(() => {
    for (const run of recorded.values()) run.close();
  });
  const view = {} as Record<Name, RecordedRun>;
  for (const name of names) {
    Object.defineProperty(view, name, {
      get: () => {
        const run = recorded.get(name);
        if (run === undefined) throw new Error(`the run ${name} is not recorded yet`);
        return run;
      },
    });
  }
  return view;
}

export interface RecordOptions {
  readonly runId: string;
  readonly modules: number;
  readonly workers: number;
  readonly scenario?: Omit<Partial<SwarmScenario>, "modules">;
  readonly env?: Record<string, string>;
  readonly request?: string;
}

/**
 * Runs the real engine on the sample library against the fake model server and returns the
 * store it recorded into (the same assembly as the engine's end-to-end tests).
 */
export async function recordRun(options: RecordOptions): Promise<RecordedRun> {
  const dir = mkdtempSync(join(tmpdir(), "longshot-report-"));
  const { repo, server, env } = await startSampleSwarm(join(dir, "repo"), options);
  const toolPath = `${dirname(process.execPath)}:${defaultSandboxPath}`;
  const { config } = loadConfig({ env: { ...env, ...options.env } });
  const controller = new AbortController();
  const events = new EmitRelay();
  const { client: model } = await modelClientFromConfig(config, { signal: controller.signal, emit: events.emit });
  const stateDir = join(repo, ".git", "longshot");
  const store = new SqliteStore(join(stateDir, "longshot.db"), { clock: systemClock });
  const checks = [{ name: "build", command: "node scripts/build.mjs" }];
  try {
    const opened = await openRun({
      repoPath: repo,
      config,
      runId: options.runId,
      request: options.request ?? "Build per SPEC.md",
      store,
      model,
      sandboxes: new WorktreeSandboxProvider({ root: join(dir, "sandboxes"), path: toolPath }),
      harness: createHarness("builtin", {
        languageModel: model,
        contextTokens: config.LLM_CONTEXT_TOKENS,
        clock: systemClock,
        author: longshotIdentity,
        checks,
      }),
      clock: systemClock,
      logger: silentLogger(),
      stateDir,
      checks,
      toolPath,
    });
    events.bind((event) => opened.engine.append(event));
    const result = await opened.engine.run(opened.start);
    // As the CLI does: a green run moves the target to the commit its checks passed on.
    if (result.status === "green") {
      await landTarget({
        git: opened.git,
        result,
        integrationBranch: opened.integrationBranch,
        targetBranch: config.GIT_MAIN_BRANCH,
        emit: (event) => opened.engine.append(event),
      });
    }
  } finally {
    events.bind(null);
    controller.abort();
    await server.close();
  }
  execFileSync("git", ["worktree", "prune"], { cwd: repo });
  return {
    store,
    runId: options.runId,
    dir,
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Eight modules on three workers; one module breaks the build and a fix task repairs it: green. */
export const greenRun: RecordOptions = {
  runId: "r-green",
  modules: 8,
  workers: 3,
  scenario: { breakModules: ["median"], sharedIndexEvery: 2 },
};

/**
 * Four modules; the judge rejects one module's first attempt, and a test check that always
 * fails (its output holds markup) gets fix tasks that cannot fix it, are dropped, and the run
 * ends red.
 */
export const redRun: RecordOptions = {
  runId: "r-red",
  modules: 4,
  workers: 2,
  scenario: { rejectModules: ["sum"] },
  env: {
    TASK_MAX_ATTEMPTS: "1",
    FINALIZATION_MAX_ATTEMPTS: "1",
    TEST_COMMAND: `node -e "console.error('not ok 1 - hidden acceptance <b>fails</b>'); process.exit(1)"`,
  },
};
