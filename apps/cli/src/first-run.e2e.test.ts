import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  baseEnv,
  cliPath,
  cliSuite,
  type FakeServerProcess,
  failingPolicyPath,
  runCli,
  runEnv,
  type SampleRepo,
  startCli,
  startFakeServer,
} from "./__fixtures__/cli-harness.js";

// What a new user runs into in the first five minutes: typos, empty requests, the .env, --repo,
// doctor, pipes, run ids, and Ctrl+C against an endpoint that fails.
const suite = cliSuite(3);
const { fresh } = suite;

/** Endpoint settings only in the repository's .env (committed .gitignore keeps the tree clean). */
function settingsInRepoDotenv(repo: SampleRepo, url: string): void {
  if (!readFileSync(join(repo.repo, ".gitignore"), "utf8").includes(".env")) {
    writeFileSync(join(repo.repo, ".gitignore"), "node_modules/\n.env\n");
    repo.git("add", ".gitignore");
    repo.git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "ignore .env");
  }
  writeFileSync(
    join(repo.repo, ".env"),
    `LLM_BASE_URL=${url}\nLLM_API_KEY=sk-dotenv-key-0123456789\nLLM_MODEL=fake-model\nMAX_WORKERS=2\nBUILD_COMMAND=node scripts/build.mjs\nTEST_COMMAND=node --test\n`,
  );
}

describe("a mistyped command line starts nothing", () => {
  it.each([
    [["rnus"], "did you mean longshot runs?"],
    [["reprot", "r1"], "did you mean longshot report r1?"],
    [["doctr"], "did you mean longshot doctor?"],
    [[""], "The request is empty; did you mean longshot --help?"],
    [["   "], "The request is empty"],
    [
      ["runs", "extra"],
      'longshot runs takes no argument, but was given "extra"; longshot runs --help shows what it takes.',
    ],
    [["show", "r1", "r2"], 'longshot show takes one run id, but was given "r2";'],
  ])("longshot %j exits 2 with a suggestion", async (args, expected) => {
    const repo = fresh();
    const result = await runCli([...args, "--repo", repo.repo], suite.env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(expected);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(repo.repo, ".git", "longshot"))).toBe(false);
  });
});

describe("settings and the repository", () => {
  it("init ignores .env (creating .gitignore) and says so; the key never reaches a commit", async () => {
    const dir = mkdtempSync(join(tmpdir(), "longshot-init-"));
    execFileSync("git", ["init", "-q", "-b", "main", dir]);
    const result = await runCli(["init", "--repo", dir], baseEnv());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("wrote    .env");
    expect(result.stdout).toContain("wrote    .gitignore (ignores .env, so your key is never committed)");
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toMatch(/^\.env$/m);
    // The obvious next step, `git add -A`, leaves the key out.
    execFileSync("git", ["add", "-A"], { cwd: dir });
    const staged = execFileSync("git", ["diff", "--cached", "--name-only"], { cwd: dir, encoding: "utf8" });
    expect(staged.trim().split("\n").sort()).toEqual([".gitignore", "SPEC.md"]);
    const again = await runCli(["init", "--repo", dir], baseEnv());
    expect(again.stdout).toContain("kept     .gitignore (it already ignores .env)");
    // A .gitignore that does not ignore it yet gets the line added.
    const repo = fresh();
    const updated = await runCli(["init", "--repo", repo.repo], baseEnv());
    expect(updated.stdout).toContain("updated  .gitignore (added .env");
    expect(readFileSync(join(repo.repo, ".gitignore"), "utf8")).toMatch(/^node_modules\/\n[\s\S]*^\.env$/m);
  });

  it("init in a folder that is not a git repository yet says to git init first", async () => {
    const dir = mkdtempSync(join(tmpdir(), "longshot-init-plain-"));
    const result = await runCli(["init"], baseEnv(), dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "Next: git init (longshot builds a git repository; this folder is not one yet), fill in SPEC.md",
    );
    execFileSync("git", ["init", "-q", "-b", "main", dir]);
    const again = await runCli(["init"], baseEnv(), dir);
    expect(again.stdout).toContain("Next: fill in SPEC.md");
  });

  it("a run names an untracked .env and says to ignore it rather than commit it", async () => {
    const repo = fresh();
    writeFileSync(join(repo.repo, ".env"), "LLM_API_KEY=sk-not-for-git-123456\n");
    const result = await runCli(["Build per SPEC.md", "--repo", repo.repo], suite.env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("(1 path(s): .env)");
    expect(result.stderr).toContain(
      ".env holds settings and keys and must not be committed: add it to .gitignore",
    );
    expect(result.stderr).not.toContain("sk-not-for-git");
  });

  it("reads the .env of --repo, and doctor says ready exactly when the run starts", async () => {
    const repo = fresh();
    settingsInRepoDotenv(repo, suite.url);
    const elsewhere = mkdtempSync(join(tmpdir(), "longshot-cwd-"));
    const doctor = await runCli(["doctor", "--repo", repo.repo], baseEnv(), elsewhere);
    expect(doctor.stdout).toMatch(/ok +model setup +a run would use /);
    expect(doctor.stdout).toMatch(/ok +repository /);
    expect(doctor.code).toBe(0);
    const run = await runCli(
      ["Build per SPEC.md", "--repo", repo.repo, "--no-dashboard"],
      baseEnv(),
      elsewhere,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("ended green");
  });

  it("from a subdirectory of the repository, works on the whole repository as git does", async () => {
    const repo = fresh();
    const sub = join(repo.repo, "src");
    const doctor = await runCli(["doctor"], suite.env(), sub);
    expect(doctor.stdout).toMatch(new RegExp(`ok +repository +${repo.repo} on main, clean`));
    const run = await runCli(["Build per SPEC.md", "--no-dashboard"], suite.env(), sub);
    expect(run.stderr).toContain("ended green");
    expect(run.code).toBe(0);
    expect(existsSync(join(repo.repo, ".git", "longshot", "longshot.db"))).toBe(true);
    expect(existsSync(join(sub, ".git"))).toBe(false);
    const runs = await runCli(["runs", "--json"], suite.env(), sub);
    expect(JSON.parse(runs.stdout)).toHaveLength(1);
    expect(repo.git("status", "--porcelain")).toBe("");
  });

  it("in a linked worktree (git worktree add), runs there and keeps its state in that worktree's git folder", async () => {
    const repo = fresh();
    const linked = join(mkdtempSync(join(tmpdir(), "longshot-linked-")), "linked");
    repo.git("worktree", "add", "-q", "-b", "linked-main", linked);
    const run = await runCli(
      ["Build per SPEC.md", "--no-dashboard", "--branch", "linked-main"],
      suite.env(),
      linked,
    );
    expect(run.stderr).toContain("ended green");
    expect(run.code).toBe(0);
    expect(existsSync(join(repo.repo, ".git", "worktrees", "linked", "longshot", "longshot.db"))).toBe(true);
    const runs = await runCli(["runs", "--json"], suite.env(), join(linked, "src"));
    expect(JSON.parse(runs.stdout)).toHaveLength(1);
    const primary = await runCli(["runs", "--json"], suite.env(), repo.repo);
    expect(JSON.parse(primary.stdout)).toEqual([]);
  });

  it("on a repository without the target branch, names the branch it is on and the flag to use", async () => {
    const dir = mkdtempSync(join(tmpdir(), "longshot-trunk-"));
    execFileSync("git", ["init", "-q", "-b", "trunk", dir]);
    execFileSync("git", [
      "-C",
      dir,
      "-c",
      "user.name=t",
      "-c",
      "user.email=t@t",
      "commit",
      "-q",
      "--allow-empty",
      "-m",
      "start",
    ]);
    const run = await runCli(["Build per SPEC.md", "--repo", dir], suite.env());
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `error: ${dir} has no branch main; set GIT_MAIN_BRANCH (or --branch) to the branch longshot should build on (it is on trunk: --branch trunk builds on that).`,
    );
    expect(existsSync(join(dir, ".git", "longshot"))).toBe(false);
    const empty = mkdtempSync(join(tmpdir(), "longshot-empty-"));
    execFileSync("git", ["init", "-q", "-b", "main", empty]);
    const first = await runCli(["Build per SPEC.md", "--repo", empty], suite.env());
    expect(first.code).toBe(2);
    expect(first.stderr).toContain(
      "has no branch main; set GIT_MAIN_BRANCH (or --branch) to the branch longshot should build on (it has no commit yet: commit first, SPEC.md for one).",
    );
  });

  it("names a mistyped setting in .env and the one it was probably meant to be, in doctor and in a run", async () => {
    const repo = fresh();
    settingsInRepoDotenv(repo, suite.url);
    writeFileSync(join(repo.repo, ".env"), "MAX_WORKER=8\nDATABASE_URL=postgres://app\n", { flag: "a" });
    const doctor = await runCli(
      ["doctor", "--repo", repo.repo],
      baseEnv({ llm_model: "x", LOGLEVEL: "debug" }),
    );
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(
      /warn +settings +\S+\.env sets MAX_WORKER, which longshot does not read; did you mean MAX_WORKERS\?/,
    );
    expect(doctor.stdout).toMatch(
      /warn +settings +the environment sets llm_model, .*did you mean LLM_MODEL\?/,
    );
    expect(doctor.stdout).not.toContain("DATABASE_URL");
    // Another program's variable in the shared environment is left alone.
    expect(doctor.stdout).not.toContain("LOGLEVEL");
    writeFileSync(join(repo.repo, "notes.txt"), "wip\n");
    const run = await runCli(["Build per SPEC.md", "--repo", repo.repo], baseEnv());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `warning: ${join(repo.repo, ".env")} sets MAX_WORKER, which longshot does not read; did you mean MAX_WORKERS?`,
    );
  });

  it("refuses a --repo that does not exist, for every command, in one sentence", async () => {
    for (const args of [["runs"], ["show", "latest"], ["doctor"], ["Build per SPEC.md"], ["init"]]) {
      const result = await runCli([...args, "--repo", "/nonexistent/repo"], suite.env());
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toBe(
        "error: --repo /nonexistent/repo does not exist; pass the path of a git repository (or a folder in one).\n",
      );
    }
    expect(existsSync("/nonexistent")).toBe(false);
  });

  it("stops before anything starts on a missing --env-file, as the README says (Node reads the flag too)", async () => {
    const repo = fresh();
    const result = await runCli(
      ["Build per SPEC.md", "--env-file", "missing.env", "--repo", repo.repo],
      suite.env(),
    );
    expect(result.code).toBe(9);
    expect(result.stderr.trim()).toMatch(/^\S*node: missing\.env: not found$/);
    expect(existsSync(join(repo.repo, ".git", "longshot"))).toBe(false);
  });

  it("doctor without any model says so once, as the failure a run would hit, and points at the demo", async () => {
    const repo = fresh();
    const doctor = await runCli(["doctor", "--repo", repo.repo], baseEnv());
    expect(doctor.code).toBe(1);
    const lines = doctor.stdout
      .split("\n")
      .filter((line) => line.includes("No model endpoint is configured"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^FAIL +model setup +No model endpoint is configured.*\(longshot demo needs no model\)$/,
    );
  });

  it("doctor fails where the run fails: a dead endpoint in --repo's .env, and a dirty tree", async () => {
    const repo = fresh();
    settingsInRepoDotenv(repo, "http://127.0.0.1:9/v1");
    const elsewhere = mkdtempSync(join(tmpdir(), "longshot-cwd-"));
    const doctor = await runCli(["doctor", "--repo", repo.repo], baseEnv(), elsewhere);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(
      /FAIL +model setup +No model endpoint answers \(http:\/\/127\.0\.0\.1:9\/v1/,
    );
    const run = await runCli(["Build per SPEC.md", "--repo", repo.repo], baseEnv(), elsewhere);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("No model endpoint answers (http://127.0.0.1:9/v1");
    settingsInRepoDotenv(repo, suite.url);
    writeFileSync(join(repo.repo, "notes.txt"), "wip\n");
    const dirtyDoctor = await runCli(["doctor", "--repo", repo.repo], baseEnv(), elsewhere);
    expect(dirtyDoctor.code).toBe(1);
    expect(dirtyDoctor.stdout).toMatch(
      /FAIL +repository +The working tree of .* \(1 path\(s\): notes\.txt\)/,
    );
    const dirtyRun = await runCli(["Build per SPEC.md", "--repo", repo.repo], baseEnv(), elsewhere);
    expect(dirtyRun.code).toBe(2);
  });
});

describe("pipes and scripts", () => {
  let repo: SampleRepo;
  const runIds: string[] = [];

  beforeAll(async () => {
    repo = fresh();
    const green = await runCli(["Build per SPEC.md", "--repo", repo.repo], suite.env());
    expect(green.code).toBe(0);
    // Without a terminal: the readable lines on stderr, one result line on stdout.
    const lines = green.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const [runId, status, commit, report] = lines[0]!.split(" ");
    expect(status).toBe("green");
    expect(commit).toBe(repo.git("rev-parse", "main"));
    expect(existsSync(report!)).toBe(true);
    runIds.push(runId!);
    // A second run that a one-token budget stops at once: a result line all the same.
    const stopped = await runCli(
      ["Build per SPEC.md", "--repo", repo.repo, "--max-tokens", "1"],
      suite.env(),
    );
    expect(stopped.code).not.toBe(0);
    const [secondId, secondStatus] = stopped.stdout.trim().split(" ");
    expect(secondStatus).not.toBe("green");
    runIds.push(secondId!);
  });

  it("prints [] for runs --json where there are no runs, and every run as one array otherwise", async () => {
    const empty = mkdtempSync(join(tmpdir(), "longshot-empty-"));
    const none = await runCli(["runs", "--json", "--repo", empty], baseEnv());
    expect(none.code).toBe(0);
    expect(none.stdout).toBe("[]\n");
    const some = await runCli(["runs", "--json", "--repo", repo.repo], baseEnv());
    expect((JSON.parse(some.stdout) as { runId: string }[]).map((run) => run.runId).sort()).toEqual(
      [...runIds].sort(),
    );
  });

  it("takes a unique prefix or latest for a run id, and names the candidates of an ambiguous one", async () => {
    const [first, second] = runIds as [string, string];
    const latest = await runCli(["show", "latest", "--json", "--repo", repo.repo], baseEnv());
    expect(JSON.parse(latest.stdout).run.runId).toBe(second);
    let length = 1;
    while (second.startsWith(first.slice(0, length))) length++;
    const prefix = await runCli(["report", second.slice(0, length), "--repo", repo.repo], baseEnv());
    expect(prefix.code).toBe(0);
    expect(prefix.stdout).toContain(second);
    const ambiguous = await runCli(["show", "r", "--repo", repo.repo], baseEnv());
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain("2 runs start with r");
    expect(ambiguous.stderr).toContain(first);
    const missing = await runCli(["show", "x-nope", "--repo", repo.repo], baseEnv());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("There is no run x-nope");
  });

  it("refuses a report --out it cannot write, in one sentence", async () => {
    const repo = suite.repo;
    if (!existsSync(join(repo.repo, ".git", "longshot", "longshot.db"))) {
      const run = await runCli(["Build per SPEC.md", "--repo", repo.repo, "--no-dashboard"], suite.env());
      expect(run.code).toBe(0);
    }
    const missing = await runCli(
      ["report", "latest", "--repo", repo.repo, "--out", "/nonexistent/dir/r.md"],
      baseEnv(),
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      "error: Cannot write the report to /nonexistent/dir/r.md (ENOENT: no such file or directory, open '/nonexistent/dir/r.md'); --out takes the path of a file in a folder that exists.\n",
    );
    const folder = await runCli(
      ["report", "latest", "--repo", repo.repo, "--html", "--out", tmpdir()],
      baseEnv(),
    );
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain("EISDIR");
  });

  it("ends quietly when the reader of stdout goes away (report --html | head)", () => {
    // `true` exits before longshot writes: the write meets a closed pipe (EPIPE).
    const script = `node ${JSON.stringify(cliPath)} report latest --html --repo ${JSON.stringify(repo.repo)} | true; echo "exit=\${PIPESTATUS[0]}"`;
    const result = spawnSync("bash", ["-c", script], { env: baseEnv(), encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("exit=0");
  });

  it("replays a recorded run without a terminal: the same lines, and --json events with the schema version", async () => {
    const lines = await runCli(["replay", runIds[0]!, "--repo", repo.repo], baseEnv());
    expect(lines.code).toBe(0);
    expect(lines.stderr).toMatch(/run r\S+ started: Build per SPEC.md/);
    expect(lines.stderr).toContain("run ended green");
    const json = await runCli(["replay", runIds[0]!, "--json", "--repo", repo.repo], baseEnv());
    const events = json.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { schema: number; type: string });
    expect(events[0]).toMatchObject({ schema: 1, type: "run-start" });
    expect(events.every((event) => event.schema === 1)).toBe(true);
  });
});

describe("Ctrl+C before the run starts", () => {
  it("ends with one plain line and exit 130 while an endpoint that never answers is checked, recording no run", async () => {
    // Accepts and never answers; says when longshot first connects.
    let connected: () => void = () => undefined;
    const checking = new Promise<void>((resolve) => {
      connected = resolve;
    });
    const silent = createServer(() => connected());
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const repo = fresh();
      const env = runEnv(`http://127.0.0.1:${port}/v1`);
      const running = startCli(["Build per SPEC.md", "--repo", repo.repo, "--no-dashboard"], env);
      await checking;
      running.child.kill("SIGINT");
      const finished = await running.done;
      expect(finished.code).toBe(130);
      expect(finished.stderr).toMatch(/^Stopped before the run started: no run was recorded\.$/m);
      expect(finished.stderr).not.toContain("internal error");
      expect(finished.stderr).not.toMatch(/^\s+at /m);
      const runs = await runCli(["runs", "--json", "--repo", repo.repo], baseEnv());
      expect(JSON.parse(runs.stdout)).toEqual([]);
    } finally {
      silent.close();
    }
  });
});

describe("Ctrl+C against a failing endpoint", () => {
  let failing: FakeServerProcess;
  beforeAll(async () => {
    failing = await startFakeServer({}, failingPolicyPath);
  });
  afterAll(async () => {
    await failing.stop();
  });

  it("shows every retry, says what the drain waits for with a countdown, and aborts when DRAIN_TIMEOUT runs out", async () => {
    const repo = fresh();
    const env = runEnv(failing.url, { DRAIN_TIMEOUT: "3" });
    const running = startCli(["Build per SPEC.md", "--repo", repo.repo, "--no-dashboard"], env);
    // The planner's call fails with 503 and is retried with backoff: each retry is a line.
    await running.waitForErrLine((line) => /planner model call retry 2 \(\S+: HTTP 503, again in/.test(line));
    running.child.kill("SIGINT");
    const finished = await running.done;
    expect(finished.stderr).toMatch(
      /Stopping: aborting in 3 s \(Ctrl\+C again: now\); waiting for a planner model call \(retry \d+ at \S+, HTTP 503\)\./,
    );
    expect(finished.stderr).toContain("The drain did not finish within 3 s (DRAIN_TIMEOUT): aborting");
    expect(finished.code).toBe(130);
    // Started with --repo from another folder: the advice names the repository to resume in.
    expect(finished.stderr).toMatch(
      new RegExp(`continue it with: longshot resume r\\S+ --repo ${repo.repo.replaceAll(".", "\\.")}\n`),
    );
    // The retries are in the log too, with endpoint, status and delay.
    const log = execFileSync(process.execPath, [cliPath, "replay", "latest", "--json", "--repo", repo.repo], {
      env: baseEnv(),
      encoding: "utf8",
    });
    const retries = log
      .trim()
      .split("\n")
      .map(
        (line) => JSON.parse(line) as { type: string; status?: number; endpoint?: string; delayMs?: number },
      )
      .filter((event) => event.type === "model-call-retry");
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(retries[0]).toMatchObject({ status: 503, endpoint: new URL(failing.url).host });
    expect(retries[0]!.delayMs).toBeGreaterThan(0);
  });
});
