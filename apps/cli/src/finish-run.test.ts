import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Config, loadConfig, ManualClock, type NewEvent } from "@longshot/core";
import type { RunResult } from "@longshot/engine";
import { Git } from "@longshot/git";
import { SqliteStore } from "@longshot/store";
import { afterEach, describe, expect, it } from "vitest";
import { type FinishRunOptions, finishRun, prepareFinish } from "./finish-run.js";

const runId = "r1";
const integration = `longshot/${runId}/integration`;
const dirs: string[] = [];
const stores: SqliteStore[] = [];

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@t",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@t",
    },
  }).trim();
}

function commitFile(repo: string, name: string): string {
  writeFileSync(join(repo, name), `${name}\n`);
  git(repo, "add", name);
  git(repo, "commit", "-q", "-m", name);
  return git(repo, "rev-parse", "HEAD");
}

interface Setup {
  readonly dir: string;
  /** Where the run works: the user's repository, or the clone of the remote. */
  readonly repo: string;
  readonly bare: string | null;
  readonly base: string;
  /** The integration branch's tip, one commit past `base`. */
  readonly head: string;
  readonly store: SqliteStore;
  readonly config: Config;
}

/** A repository (or a bare remote and its clone) whose run built one commit on its integration branch. */
function setUp(withRemote: boolean): Setup {
  const dir = mkdtempSync(join(tmpdir(), "longshot-finish-"));
  dirs.push(dir);
  const source = join(dir, "source");
  git(dir, "init", "-q", "-b", "main", source);
  const base = commitFile(source, "README.md");
  let repo = source;
  let bare: string | null = null;
  if (withRemote) {
    bare = join(dir, "remote.git");
    git(dir, "clone", "-q", "--bare", source, bare);
    repo = join(dir, "clone");
    git(dir, "clone", "-q", bare, repo);
  }
  git(repo, "checkout", "-q", "-b", integration);
  const head = commitFile(repo, "feature.ts");
  git(repo, "checkout", "-q", "main");
  const store = new SqliteStore(join(repo, ".git", "longshot", "longshot.db"), { clock: new ManualClock(0) });
  stores.push(store);
  store.append(runId, {
    type: "run-start",
    request: "Build per SPEC.md",
    repo,
    baseCommit: base,
    startCommit: null,
    targetBranch: "main",
    integrationBranch: integration,
    settings: {},
  });
  const { config } = loadConfig({ env: { LLM_BASE_URL: "http://127.0.0.1:9/v1" } });
  return { dir, repo, bare, base, head, store, config };
}

function result(setup: Setup, fields: Partial<RunResult> = {}): RunResult {
  return {
    runId,
    status: "green",
    reason: "all tasks landed",
    head: setup.head,
    interrupted: false,
    ...fields,
  };
}

/** finishRun's options for `setup`, recording what it restored and emitted. */
function finishing(setup: Setup, runResult: RunResult) {
  const record = { restored: 0, events: [] as NewEvent[] };
  const options: FinishRunOptions = {
    config: setup.config,
    repo: setup.repo,
    store: setup.store,
    stateDir: join(setup.repo, ".git", "longshot"),
    runId,
    request: null,
    result: runResult,
    opened: {
      git: new Git(setup.repo),
      integrationBranch: integration,
      restoreHidden: async () => {
        record.restored += 1;
      },
    },
    emit: (event) => record.events.push(event),
    destination: { pr: false, ...(setup.bare === null ? {} : { remoteUrl: setup.bare }) },
    github: null,
  };
  return { options, record };
}

describe("finishRun: the one end of a run (CLI and MCP)", () => {
  it("pushes a green run's verified commit to the remote's target branch, then writes the reports", async () => {
    const setup = setUp(true);
    const { options, record } = finishing(setup, result(setup));
    const finished = await finishRun(options);
    expect(finished.message).toBe(`main on ${setup.bare} now points at ${setup.head.slice(0, 10)}.`);
    expect(git(setup.dir, "--git-dir", setup.bare!, "rev-parse", "main")).toBe(setup.head);
    expect(record.restored).toBe(1);
    expect(existsSync(join(setup.repo, ".git", "longshot", "runs", runId, "report.html"))).toBe(true);
    expect(finished.reportMarkdown).toContain(runId);
  });

  it("never overwrites a remote target branch that moved during the run, and says how to land the work", async () => {
    const setup = setUp(true);
    // Someone else pushes to main while the run works.
    const other = join(setup.dir, "other");
    git(setup.dir, "clone", "-q", setup.bare!, other);
    const theirs = commitFile(other, "theirs.txt");
    git(other, "push", "-q", "origin", "main");
    const { options } = finishing(setup, result(setup));
    const finished = await finishRun(options);
    expect(finished.message).toMatch(new RegExp(`^main on ${setup.bare} moved during the run \\(`));
    expect(finished.message).toContain(`To land it: git fetch origin && git merge origin/${integration}`);
    expect(git(setup.dir, "--git-dir", setup.bare!, "rev-parse", "main")).toBe(theirs);
  });

  it("fast-forwards the local target branch without a remote, and records the move", async () => {
    const setup = setUp(false);
    const { options, record } = finishing(setup, result(setup));
    const finished = await finishRun(options);
    expect(finished.message).toBe(`main now points at ${setup.head.slice(0, 10)}.`);
    expect(git(setup.repo, "rev-parse", "main")).toBe(setup.head);
    expect(record.events).toContainEqual(
      expect.objectContaining({ type: "target-update", branch: "main", sha: setup.head, landed: true }),
    );
  });

  it("moves nothing for a red run and leaves what to say next to the caller", async () => {
    const setup = setUp(true);
    const { options, record } = finishing(setup, result(setup, { status: "red", reason: "t0001 failed" }));
    const finished = await finishRun(options);
    expect(finished.message).toBeNull();
    expect(git(setup.dir, "--git-dir", setup.bare!, "rev-parse", "main")).toBe(setup.base);
    expect(record.restored).toBe(1);
  });

  it("neither restores held-out tests nor moves anything when the run was interrupted", async () => {
    const setup = setUp(false);
    const { options, record } = finishing(setup, result(setup, { status: "stopped", interrupted: true }));
    const finished = await finishRun(options);
    expect(finished.message).toBeNull();
    expect(record.restored).toBe(0);
    expect(git(setup.repo, "rev-parse", "main")).toBe(setup.base);
  });
});

describe("prepareFinish", () => {
  it("refuses a pull request without GITHUB_TOKEN, in one sentence saying how to fix it", async () => {
    const setup = setUp(false);
    const refusal = prepareFinish(
      { pr: true },
      { config: setup.config, repo: setup.repo, env: {}, signal: new AbortController().signal },
    );
    await expect(refusal).rejects.toThrow(
      /^GITHUB_TOKEN is not set; set it to a token that can push branches/,
    );
  });

  it("needs nothing when no pull request is asked for", async () => {
    const setup = setUp(false);
    const context = { config: setup.config, repo: setup.repo, env: {}, signal: new AbortController().signal };
    expect(await prepareFinish({ pr: false }, context)).toBeNull();
  });
});
