import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LongshotEvent } from "@longshot/core";
import { describe, expect, it } from "vitest";
import { baseEnv, cliSuite, footprint, runCli, runEnv } from "./__fixtures__/cli-harness.js";

const suite = cliSuite(6);
const { fresh } = suite;

describe("longshot on bad input", () => {
  it("refuses a directory that is not a git repository", async () => {
    const dir = mkdtempSync(join(tmpdir(), "longshot-nogit-"));
    const result = await runCli(["Build per SPEC.md", "--repo", dir, "--no-dashboard"], suite.env());
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([
      `error: ${dir} is not a git repository; run longshot inside one or pass --repo PATH.`,
    ]);
    expect(existsSync(join(dir, ".git"))).toBe(false);
  });

  it("refuses a dirty working tree and changes nothing", async () => {
    const repo = fresh();
    writeFileSync(join(repo.repo, "src", "index.ts"), "// local edit\n");
    const before = footprint(repo);
    const result = await runCli(["Build per SPEC.md", "--repo", repo.repo], suite.env());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: The working tree of .* has uncommitted changes \(1 path\(s\): src\/index\.ts\); commit or stash them so the run starts from what you see\.\n$/,
    );
    expect(footprint(repo)).toBe(before);
  });

  it("refuses a request naming a SPEC.md that does not exist", async () => {
    const repo = fresh();
    repo.git("rm", "-q", "SPEC.md");
    repo.git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "drop spec");
    const before = footprint(repo);
    const result = await runCli(["Build per SPEC.md", "--repo", repo.repo], suite.env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("names SPEC.md but");
    expect(result.stderr).toContain("write it (longshot spec) or change the request");
    expect(footprint(repo)).toBe(before);
  });

  it("reports every invalid setting at once, masking secrets", async () => {
    const repo = fresh();
    const before = footprint(repo);
    const result = await runCli(
      ["Build per SPEC.md", "--repo", repo.repo],
      suite.env({
        MAX_WORKERS: "lots",
        LLM_ENDPOINTS: '[{"name":"a","endpoint":"nope","apiKey":"sk-secret-value-42"}]',
      }),
    );
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines.some((line) => line.startsWith('error: MAX_WORKERS is "lots"'))).toBe(true);
    expect(
      lines.some((line) => line.startsWith("error: LLM_ENDPOINTS is") && line.includes("at [0].endpoint")),
    ).toBe(true);
    expect(result.stderr).not.toContain("sk-secret-value-42");
    expect(footprint(repo)).toBe(before);
  });

  it("refuses an endpoint that does not answer before touching the repository", async () => {
    const repo = fresh();
    const before = footprint(repo);
    const result = await runCli(["Build per SPEC.md", "--repo", repo.repo], runEnv("http://127.0.0.1:9/v1"));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: No model endpoint answers \(http:\/\/127\.0\.0\.1:9\/v1.*\); start the server or fix LLM_BASE_URL\.\n$/,
    );
    expect(footprint(repo)).toBe(before);
  });

  it("explains an unknown flag and a missing run id", async () => {
    const flag = await runCli(["--frobnicate"], baseEnv());
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe(
      "error: Unknown flag --frobnicate; run longshot --help for the flags each command takes.\n",
    );
    const show = await runCli(["show"], baseEnv());
    expect(show.code).toBe(2);
    expect(show.stderr).toContain("longshot show needs a run id (or latest)");
  });
});

describe("longshot on a real repository with the fake model", () => {
  it("runs the request to a green branch, fast-forwards main, and can be inspected afterwards", async () => {
    const repo = fresh();
    const env = suite.env();
    const result = await runCli(["Build per SPEC.md", "--repo", repo.repo, "--json"], env);
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as LongshotEvent);
    expect(events[0]?.type).toBe("run-start");
    const end =
      events.at(-2)?.type === "run-end"
        ? events.at(-2)
        : events.findLast((event) => event.type === "run-end");
    expect(end).toMatchObject({ type: "run-end", status: "green" });
    const runId = events[0]!.runId;
    // main moved to the integration head and holds the library.
    const files = repo.git("ls-tree", "-r", "--name-only", "main");
    expect(files).toContain("src/clamp.test.ts");
    expect(repo.git("rev-parse", "main")).toBe((end as { head: string }).head);
    // The key never reached the log.
    const runs = await runCli(["runs", "--repo", repo.repo], env);
    expect(runs.code).toBe(0);
    expect(runs.stdout).toContain(runId);
    expect(runs.stdout).toContain("green");
    const show = await runCli(["show", runId, "--repo", repo.repo], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("t0001");
    const report = await runCli(["report", runId, "--repo", repo.repo], env);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain("green");
    const html = join(repo.dir, "report.html");
    const htmlResult = await runCli(["report", runId, "--repo", repo.repo, "--html", "--out", html], env);
    expect(htmlResult.code).toBe(0);
    expect(existsSync(html)).toBe(true);
    const log = join(repo.repo, ".git", "longshot", "runs", runId, "run.log");
    if (existsSync(log)) {
      const { readFileSync } = await import("node:fs");
      expect(readFileSync(log, "utf8")).not.toContain("sk-cli-test-0123456789");
    }
  });

  it("prints one readable line per event without a terminal", async () => {
    const repo = fresh(3);
    const result = await runCli(["Build per SPEC.md", "--repo", repo.repo], suite.env());
    expect(result.code).toBe(0);
    // stdout holds one result line for scripts: run id, status, commit, report path.
    expect(result.stdout).toMatch(/^r\S+ green [0-9a-f]{40} \/\S+\/report\.html\n$/);
    expect(result.stderr).toMatch(/\d\d:\d\d:\d\d run r\S+ started: Build per SPEC.md/);
    expect(result.stderr).toMatch(/t0001 landed [0-9a-f]{10}/);
    expect(result.stderr).toContain("ended green");
  });

  it("works on a remote repository (GIT_REPO_URL): clones it, pushes every landing with a lease, then moves main", async () => {
    const source = fresh(3);
    const bare = join(source.dir, "remote.git");
    source.git("clone", "-q", "--bare", source.repo, bare);
    const home = join(source.dir, "home");
    const env = suite.env({ GIT_REPO_URL: bare, LONGSHOT_HOME: home });
    const result = await runCli(["Build per SPEC.md", "--json"], env, source.dir);
    expect(result.stderr).toContain(`main on ${bare} now points at`);
    expect(result.code).toBe(0);
    const remoteGit = (...args: string[]) =>
      execFileSync("git", ["--git-dir", bare, ...args], { encoding: "utf8" }).trim();
    expect(remoteGit("ls-tree", "-r", "--name-only", "main")).toContain("src/clamp.test.ts");
    const integration = remoteGit("for-each-ref", "--format=%(refname)", "refs/heads/longshot/");
    expect(integration).toMatch(/refs\/heads\/longshot\/r\S+\/integration/);
    expect(remoteGit("rev-parse", "main")).toBe(remoteGit("rev-parse", integration.split("\n")[0]!));
    // The user's own clone was never touched.
    expect(source.git("rev-list", "--count", "main")).toBe("1");
  });

  it("writes .env and SPEC.md with init, never overwriting", async () => {
    const dir = mkdtempSync(join(tmpdir(), "longshot-init-"));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "SPEC.md"), "# mine\n");
    const result = await runCli(["init", "--repo", dir], baseEnv());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("wrote    .env");
    expect(result.stdout).toContain("kept     SPEC.md");
    expect(result.stdout).toContain("wrote    .gitignore (ignores .env");
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(join(dir, "SPEC.md"), "utf8")).toBe("# mine\n");
    expect(readFileSync(join(dir, ".env"), "utf8")).toContain("MAX_WORKERS=50");
  });
});
