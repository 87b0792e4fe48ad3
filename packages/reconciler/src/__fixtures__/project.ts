import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type EmitEvent, ManualClock, type NewEvent, type TaskState } from "@longshot/core";
import { Git, ProcessGitRunner } from "@longshot/git";
import {
  defaultSandboxLimits,
  defaultSandboxPath,
  type Sandbox,
  type SandboxProvider,
  WorktreeSandboxProvider,
} from "@longshot/sandbox";
import { createTempRepo, type TempRepo, testIdentity } from "@longshot/testkit";
import { perTest } from "@longshot/testkit/per-test";
import type { Landing } from "../bisect.js";
import { CheckWorkspace, type OpenCheckSandbox } from "../check-workspace.js";
import type { Failure } from "../failure.js";
import type { FixTaskRequest, TaskSink } from "../fix-task.js";
import type { HiddenTests } from "../hidden-tests.js";
import { Reconciler } from "../reconciler.js";
import type { RunProgress } from "../reconciler-options.js";

/** A tiny project: `npm run build` checks the exports of src/math.js, `npm test` runs node:test. */
export const projectFiles = {
  "package.json": `${JSON.stringify({ name: "calc", type: "module", scripts: { build: "node check.js", test: "node --test" } }, null, 2)}\n`,
  "check.js": [
    'import * as math from "./src/math.js";',
    'for (const name of ["add", "sub"]) {',
    '  if (typeof math[name] !== "function") {',
    "    console.error(`error: src/math.js does not export ${name}`);",
    "    process.exit(1);",
    "  }",
    "}",
    'console.log("build ok");',
    "",
  ].join("\n"),
  "src/math.js": "export const add = (a, b) => a + b;\nexport const sub = (a, b) => a - b;\n",
  "test/math.test.js": [
    'import { test } from "node:test";',
    'import assert from "node:assert/strict";',
    'import { add, sub } from "../src/math.js";',
    'test("adds", () => assert.equal(add(2, 2), 4));',
    'test("subtracts", () => assert.equal(sub(5, 3), 2));',
    "",
  ].join("\n"),
};

export const integration = "longshot/r1/integration";
export const integrationRef = `refs/heads/${integration}`;

/** The engine's side, faked in memory: fix tasks and their states, run progress, recorded events. */
export class FakeEngine implements TaskSink, RunProgress {
  readonly requests: FixTaskRequest[] = [];
  readonly states = new Map<string, TaskState>();
  readonly events: NewEvent[] = [];
  readonly retried: string[][] = [];
  unmergedTasks: string[] = [];
  /** Files whose covering tasks have not landed yet (their failures are unfinished work). */
  readonly unlanded = new Set<string>();
  readonly unfinishedReports: string[][] = [];
  /** Called when a fix task is created, to play the worker (land a fix, fail, …). */
  onFixTask: (request: FixTaskRequest, taskId: string) => Promise<void> | void = () => undefined;
  readonly emit: EmitEvent = (event) => {
    this.events.push(event);
  };

  async addFixTask(request: FixTaskRequest): Promise<string> {
    const taskId = `t${String(100 + this.requests.length).padStart(4, "0")}`;
    this.requests.push(request);
    this.states.set(taskId, "ready");
    await this.onFixTask(request, taskId);
    return taskId;
  }

  taskState(taskId: string): TaskState | null {
    return this.states.get(taskId) ?? null;
  }

  settled(): boolean {
    return [...this.states.values()].every((state) => ["landed", "failed", "cancelled", "split"].includes(state));
  }

  unmerged(): readonly string[] {
    return this.unmergedTasks;
  }

  workLanded(files: readonly string[]): boolean {
    return !files.some((file) => this.unlanded.has(file));
  }

  reportUnfinished(failures: readonly Failure[]): void {
    this.unfinishedReports.push(failures.map((failure) => failure.fingerprint));
  }

  async retryUnmerged(taskIds: readonly string[]): Promise<void> {
    this.retried.push([...taskIds]);
    this.unmergedTasks = [];
  }

  eventsOf<T extends NewEvent["type"]>(type: T): Extract<NewEvent, { type: T }>[] {
    return this.events.filter((event): event is Extract<NewEvent, { type: T }> => event.type === type);
  }
}

export interface Project {
  readonly repo: TempRepo;
  readonly git: Git;
  readonly engine: FakeEngine;
  readonly workspace: CheckWorkspace;
  readonly sandboxes: SandboxProvider;
  readonly reconciler: Reconciler;
  readonly landings: Landing[];
  /** Destroys the check sandboxes and removes the repository. */
  close(): Promise<void>;
  /** Lands a task's change on the integration branch (as the merge queue would) and notifies the reconciler. */
  land(taskId: string, files: Record<string, string | null>): Promise<Landing>;
}

export interface ProjectOptions {
  readonly files?: Record<string, string | null>;
  readonly maxFixAttempts?: number;
  readonly finalizationMaxAttempts?: number;
  readonly hidden?: (initial: string) => HiddenTests;
  /** Wraps each sandbox checks run in (to observe or hold them). */
  readonly sandbox?: (sandbox: Sandbox) => Sandbox;
}

/** Sandboxes for checks, as the engine opens them: real bubblewrap sandboxes of the run's repository. */
export function checkSandboxes(repoPath: string): { provider: SandboxProvider; open: OpenCheckSandbox; close(): Promise<void> } {
  const root = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "longshot-checks-"));
  const provider = new WorktreeSandboxProvider({
    root,
    path: `${dirname(process.execPath)}:${defaultSandboxPath}`,
    hiddenPaths: [repoPath],
  });
  let count = 0;
  const open: OpenCheckSandbox = (purpose, commit, signal) => {
    count += 1;
    return provider.create({
      repoPath,
      baseCommit: commit,
      runId: "r1",
      taskId: `${purpose}-${count}`,
      branch: `longshot/r1/${purpose}-${count}`,
      limits: { ...defaultSandboxLimits, wallTimeoutMs: 3_600_000, idleTimeoutMs: 3_600_000 },
      ...(signal === undefined ? {} : { signal }),
    });
  };
  return {
    provider,
    open,
    close: async () => {
      await provider.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** For a test file: `createProject`, each project closed after its test (register it once, at the top). */
export function projectPerTest(): (options?: ProjectOptions) => Promise<Project> {
  return perTest(createProject, (project) => project.close());
}

/** A real repository with an integration branch, a reconciler over it and a fake engine. */
export async function createProject(options: ProjectOptions = {}): Promise<Project> {
  const repo = await createTempRepo({ files: options.files ?? projectFiles });
  await repo.git(["branch", integration, repo.initial]);
  const runner = new ProcessGitRunner();
  const git = new Git(repo.path, { runner });
  const clock = new ManualClock(1_700_000_000_000);
  const engine = new FakeEngine();
  const sandboxes = checkSandboxes(repo.path);
  const wrap = options.sandbox ?? ((sandbox: Sandbox) => sandbox);
  const workspace = new CheckWorkspace({
    git,
    gitRunner: runner,
    openSandbox: async (purpose, commit, signal) => wrap(await sandboxes.open(purpose, commit, signal)),
    hidden: options.hidden?.(repo.initial) ?? null,
    timeoutMs: 60_000,
  });
  const landings: Landing[] = [];
  const reconciler = new Reconciler({
    git,
    gitRunner: runner,
    ref: integrationRef,
    workspace,
    tasks: engine,
    progress: engine,
    emit: engine.emit,
    clock,
    identity: testIdentity,
    intervalMs: 10_000,
    maxFixAttempts: options.maxFixAttempts ?? 2,
    finalizationMaxAttempts: options.finalizationMaxAttempts ?? 2,
    pollMs: 1,
  });
  const land = async (taskId: string, files: Record<string, string | null>): Promise<Landing> => {
    const previous = await repo.sha(integration);
    await repo.git(["checkout", "--quiet", integration]);
    const sha = await repo.commit(files, `Land ${taskId}`);
    await repo.git(["checkout", "--quiet", "main"]);
    const landing = { taskId, sha, previous };
    landings.push(landing);
    reconciler.notifyMerge(landing);
    return landing;
  };
  return {
    repo,
    git,
    engine,
    workspace,
    sandboxes: sandboxes.provider,
    reconciler,
    landings,
    land,
    close: async () => {
      await workspace.close();
      await sandboxes.close();
      await repo.cleanup();
    },
  };
}

/** Runs reconciler passes until one finds nothing to do. */
export async function settle(reconciler: Reconciler, maxPasses = 30): Promise<void> {
  for (let pass = 0; pass < maxPasses; pass += 1) {
    if ((await reconciler.step()).length === 0) return;
  }
  throw new Error(`the reconciler still had work after ${maxPasses} passes`);
}
