import { ManualClock, silentLogger, systemClock } from "@longshot/core";
import { ProcessGitRunner } from "@longshot/git";
import { createTempRepo, type TempRepo } from "@longshot/testkit";
import { perTest } from "@longshot/testkit/per-test";
import { commitFile } from "../../git-remote-ops.js";
import { GitHubClient } from "../../github-client.js";
import { type FakeGitHub, startFakeGitHub } from "../../testing/index.js";
import { RepoGit } from "../repo-git.js";
import { RepoWatcher } from "../repo-watcher.js";
import type { ProposeGap, RunDriver, WatchRunInput, WatchRunOutcome, WatchRunProgress, WatchSettings } from "../run-driver.js";
import { WatchApi } from "../watch-api.js";
import { SqliteWatchJournal } from "../watch-journal.js";

export const token = "ghs_watchUnitToken0123456789";

/** What the scripted driver was asked to do. */
export interface DriverCall {
  readonly kind: "start" | "resume";
  readonly runId: string;
  readonly request: string;
  readonly baseBranch: string;
  readonly capUsd: number | null;
}

/**
 * A run driver standing in for longshot's engine: each run commits one file on top of its base
 * branch with real git and ends as scripted. `hold` makes the next run wait for its stop signal
 * (then it reports itself interrupted, as a drained run does).
 */
export class ScriptedRuns implements RunDriver {
  readonly calls: DriverCall[] = [];
  /** Status of the next runs (default green), and what each costs. */
  statuses: string[] = [];
  costUsd = 1;
  hold = false;
  readonly #repoPath: string;
  readonly #runs = new Map<string, { outcome: WatchRunOutcome | null; base: string }>();
  #next = 0;

  constructor(repoPath: string) {
    this.#repoPath = repoPath;
  }

  async start(input: WatchRunInput & { request: string; started: (runId: string) => void }): Promise<WatchRunOutcome> {
    this.#next += 1;
    const runId = `r-${this.#next}`;
    input.started(runId);
    this.calls.push({ kind: "start", runId, request: input.request, baseBranch: input.baseBranch, capUsd: input.capUsd });
    this.#runs.set(runId, { outcome: null, base: input.baseBranch });
    return this.#run(runId, input);
  }

  async resume(input: WatchRunInput & { runId: string }): Promise<WatchRunOutcome> {
    const run = this.#runs.get(input.runId);
    this.calls.push({ kind: "resume", runId: input.runId, request: "", baseBranch: input.baseBranch, capUsd: input.capUsd });
    if (run === undefined) throw new Error(`no run ${input.runId}`);
    return this.#run(input.runId, input);
  }

  progress(runId: string): WatchRunProgress | null {
    const run = this.#runs.get(runId);
    if (run === undefined) return null;
    return { ended: run.outcome !== null && !run.outcome.interrupted, costUsd: this.costUsd, text: run.outcome === null ? "running" : run.outcome.status };
  }

  outcome(runId: string): WatchRunOutcome | null {
    const outcome = this.#runs.get(runId)?.outcome ?? null;
    return outcome === null || outcome.interrupted ? null : outcome;
  }

  landedTasks(runId: string): readonly { title: string; summary: string }[] {
    return [{ title: `Work of ${runId}`, summary: "Changed one file." }];
  }

  async #run(runId: string, input: WatchRunInput): Promise<WatchRunOutcome> {
    const runner = new ProcessGitRunner();
    const base = (await runner.run({ args: ["rev-parse", `refs/heads/${input.baseBranch}`], cwd: this.#repoPath })).stdout.trim();
    if (this.hold) {
      this.hold = false;
      await new Promise<void>((resolve) => {
        if (input.stop.aborted) resolve();
        input.stop.addEventListener("abort", () => resolve(), { once: true });
      });
      const outcome = { runId, status: "stopped", reason: "stopped by user", interrupted: true, head: base, report: "", costUsd: this.costUsd };
      this.#runs.set(runId, { outcome, base: input.baseBranch });
      return outcome;
    }
    const head = await commitFile(
      { repoPath: this.#repoPath, runner },
      { parent: base, path: `work/${runId}.txt`, content: `${runId}\n`, message: `Work of ${runId}`, author: { name: "t", email: "t@t" } },
    );
    const status = this.statuses.shift() ?? "green";
    const outcome = { runId, status, reason: status === "green" ? "every check passes" : "a check failed", interrupted: false, head, report: `## Run ${runId}\n\n${status}\n`, costUsd: this.costUsd };
    this.#runs.set(runId, { outcome, base: input.baseBranch });
    return outcome;
  }
}

export interface WatchFixture {
  readonly repo: TempRepo;
  readonly bare: string;
  readonly github: FakeGitHub;
  readonly runs: ScriptedRuns;
  readonly journal: SqliteWatchJournal;
  readonly clock: ManualClock;
  /** A watcher over the same journal and driver (a new one is a restarted process). */
  watcher(settings?: Partial<WatchSettings>, gap?: ProposeGap | null): RepoWatcher;
  close(): Promise<void>;
}

export const defaultSettings: WatchSettings = {
  label: "longshot",
  killLabel: "longshot-stop",
  approvalLabel: "longshot-proposed",
  baseBranch: "main",
  issueBudgetUsd: null,
  dailyBudgetUsd: null,
  runBudgetUsd: null,
  autoMerge: false,
  capabilitiesPath: "CAPABILITIES.md",
  goalPath: null,
  maxGapIssues: 1,
  progressEveryMs: 20,
};

/** A repository with SPEC.md, its bare remote served by a fake GitHub, a journal and scripted runs. */
export async function watchFixture(): Promise<WatchFixture> {
  const repo = await createTempRepo({ files: { "SPEC.md": "# Widgets\n\nWidgets can be listed and searched by name.\n", "README.md": "# w\n" } });
  const bare = await repo.cloneBare("remote.git");
  const github = await startFakeGitHub({ token, owner: "acme", repo: "widgets", bareRepository: bare });
  await repo.git(["remote", "add", "origin", github.gitUrl]);
  const journal = new SqliteWatchJournal(repo.tempPath("watch.db"), "acme/widgets", systemClock);
  const runs = new ScriptedRuns(repo.path);
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
  return {
    repo,
    bare,
    github,
    runs,
    journal,
    clock,
    watcher: (settings = {}, gap = null) =>
      new RepoWatcher({
        repository: "acme/widgets",
        api: new WatchApi(new GitHubClient({ token, owner: "acme", repo: "widgets", baseUrl: github.apiUrl })),
        journal,
        runs,
        git: new RepoGit({ repoPath: repo.path, token, runner: new ProcessGitRunner(), identity: { name: "longshot", email: "longshot@localhost" } }),
        settings: { ...defaultSettings, ...settings },
        clock: { now: () => clock.now(), sleep: (ms, signal) => systemClock.sleep(ms, signal) },
        logger: silentLogger(),
        gap,
        statusCache: new Map(),
      }),
    close: async () => {
      journal.close();
      await github.close();
      await repo.cleanup();
    },
  };
}

/** For a test file: `watchFixture`, each fixture closed after its test (register it once, at the top). */
export function watchFixturePerTest(): () => Promise<WatchFixture> {
  return perTest(watchFixture, (fixture) => fixture.close());
}

/** A signal that never aborts. */
export const never: AbortSignal = new AbortController().signal;

/** Git in the bare remote. */
export async function bareGit(fixture: WatchFixture, args: readonly string[]): Promise<string> {
  return (await new ProcessGitRunner().run({ args: [...args], cwd: fixture.bare })).stdout.trim();
}

