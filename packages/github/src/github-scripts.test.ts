import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "./testing/index.js";

// The action's and the nightly workflow's script steps, run as the workflows run them, against
// a temporary repository and the fake GitHub (API and git over HTTP). The longshot binary is
// the contract stand-in in __fixtures__ (LONGSHOT_BIN), so no model is involved.
const scripts = resolve(import.meta.dirname, "..", "..", "..", "scripts", "github");
const fakeLongshot = resolve(import.meta.dirname, "__fixtures__", "fake-longshot.mjs");
const token = "ghs_scriptsToken1234567";

let repo: TempRepo;
let bare: string;
let github: FakeGitHub;
let work: string;

beforeEach(async () => {
  repo = await createTempRepo({ files: { "SPEC.md": "# Spec\n\nA greeting library.\n" } });
  bare = await repo.cloneBare("remote.git");
  github = await startFakeGitHub({ token, owner: "acme", repo: "widgets", bareRepository: bare });
  await repo.git(["remote", "add", "origin", github.gitUrl]);
  await repo.git(["update-ref", "refs/remotes/origin/main", "main"]);
  work = await mkdtemp(join(tmpdir(), "longshot-actions-"));
});
afterEach(async () => {
  await github.close();
  await repo.cleanup();
  await rm(work, { recursive: true, force: true });
});

interface StepResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
}

/** Runs one script step with a clean Actions-like environment. */
async function step(
  script: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<StepResult> {
  const outputFile = join(work, `${script}-${Math.random().toString(36).slice(2)}.out`);
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(GITHUB_|RUNNER_|LONGSHOT_|FAKE_LONGSHOT_)/.test(name)),
  );
  const child = spawn(process.execPath, [join(scripts, script), ...args], {
    cwd: repo.path,
    env: {
      ...inherited,
      GITHUB_ACTIONS: "true",
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: join(work, "summary.md"),
      LONGSHOT_BIN: fakeLongshot,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const code = await new Promise<number>((done) => child.on("close", (exit) => done(exit ?? 1)));
  const raw = await readFile(outputFile, "utf8").catch(() => "");
  const outputs: Record<string, string> = {};
  for (const match of raw.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) {
    outputs[match[1] ?? ""] = match[3] ?? "";
  }
  return { code, stdout, stderr, outputs };
}

const github_env = () => ({
  GITHUB_TOKEN: token,
  GITHUB_API_URL: github.apiUrl,
  GITHUB_REPOSITORY: "acme/widgets",
});

describe("the GitHub script steps", () => {
  it("runs longshot, reports to the summary and opens, then updates, one nightly pull request", async () => {
    const out = join(work, "out");
    const run = await step("run.mjs", ["--repo", repo.path, "--out-dir", out], {
      LONGSHOT_REQUEST: "Build per SPEC.md",
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      "run-id": "r20260101-000000-abcd",
      status: "green",
      branch: "longshot/r20260101-000000-abcd/integration",
      base: "main",
      "exit-code": "0",
    });
    expect(run.stdout).toContain('run-end status="green"');
    const argv = (await readFile(join(repo.path, ".git", "longshot", "fake-argv.ndjson"), "utf8")).trim();
    expect(JSON.parse(argv)).toEqual(["Build per SPEC.md", "--repo", repo.path, "--json"]);

    const report = await step("report.mjs", [
      "--repo",
      repo.path,
      "--out-dir",
      out,
      "--run-file",
      run.outputs["run-file"] ?? "",
    ]);
    expect(report.code).toBe(0);
    const summary = await readFile(join(work, "summary.md"), "utf8");
    expect(summary).toContain("## longshot run `r20260101-000000-abcd`: green");
    expect(await readFile(join(out, "report.html"), "utf8")).toContain(
      "<h1>Run r20260101-000000-abcd: green</h1>",
    );

    const prArgs = [
      "--repo",
      repo.path,
      "--run-file",
      join(out, "run.json"),
      "--body-file",
      join(out, "report.md"),
    ];
    const opened = await step("open-pr.mjs", [...prArgs, "--head-branch", "longshot/nightly"], github_env());
    expect(opened.stderr).toBe("");
    expect(opened.code).toBe(0);
    expect(opened.outputs).toEqual({ "pr-number": "1", "pr-url": `${github.url}/acme/widgets/pull/1` });
    expect(github.pulls[0]).toMatchObject({
      head: "longshot/nightly",
      base: "main",
      title: "longshot: Build per SPEC.md",
      draft: false,
    });
    expect(github.pulls[0]?.body).toContain("Request: Build per SPEC.md");
    expect(await readFile(join(work, "summary.md"), "utf8")).toContain(
      `**Pull request:** [#1](${github.url}/acme/widgets/pull/1) (opened)`,
    );

    // The next night: a new run on the same repository updates the same pull request.
    await repo.git(["update-ref", "refs/remotes/origin/main", repo.initial]);
    await repo.git(["reset", "-q", "--hard", repo.initial]);
    const next = await step("run.mjs", ["--repo", repo.path, "--out-dir", out], {
      LONGSHOT_REQUEST: "Build per SPEC.md",
      FAKE_LONGSHOT_RUN_ID: "r20260102-000000-beef",
    });
    await step("report.mjs", ["--repo", repo.path, "--out-dir", out, "--run-file", join(out, "run.json")]);
    const updated = await step("open-pr.mjs", [...prArgs, "--head-branch", "longshot/nightly"], github_env());
    expect(next.outputs["run-id"]).toBe("r20260102-000000-beef");
    expect(updated.code).toBe(0);
    expect(updated.outputs["pr-number"]).toBe("1");
    expect(github.pulls).toHaveLength(1);
    expect(github.pulls[0]?.body).toContain("r20260102-000000-beef");
    expect(await repo.git(["--git-dir", bare, "rev-parse", "longshot/nightly"])).toBe(
      await repo.sha("longshot/r20260102-000000-beef/integration"),
    );
    const config = await readFile(join(repo.path, ".git", "config"), "utf8");
    expect(config).not.toContain(token);
  });

  it("records a red run's exit code for the last step and opens a draft pull request", async () => {
    const out = join(work, "out");
    const run = await step("run.mjs", ["--repo", repo.path, "--out-dir", out], {
      FAKE_LONGSHOT_STATUS: "red",
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ status: "red", "exit-code": "1" });
    const opened = await step(
      "open-pr.mjs",
      ["--repo", repo.path, "--run-file", join(out, "run.json")],
      github_env(),
    );
    expect(opened.code).toBe(0);
    expect(github.pulls[0]).toMatchObject({
      head: "longshot/r20260101-000000-abcd/integration",
      draft: true,
    });
  });

  it("lands directly by pushing the fast-forwarded target branch", async () => {
    const out = join(work, "out");
    await step("run.mjs", ["--repo", repo.path, "--out-dir", out]);
    const pushed = await step(
      "push.mjs",
      ["--repo", repo.path, "--run-file", join(out, "run.json")],
      github_env(),
    );
    expect(pushed.code).toBe(0);
    expect(await repo.git(["--git-dir", bare, "rev-parse", "main"])).toBe(
      await repo.sha("longshot/r20260101-000000-abcd/integration"),
    );
    expect(github.pulls).toEqual([]);
  });

  it("stops with one sentence and exit code 2 when the token is missing", async () => {
    const out = join(work, "out");
    await step("run.mjs", ["--repo", repo.path, "--out-dir", out]);
    const opened = await step("open-pr.mjs", ["--repo", repo.path, "--run-file", join(out, "run.json")], {
      GITHUB_API_URL: github.apiUrl,
    });
    expect(opened.code).toBe(2);
    expect(opened.stderr).toContain("GITHUB_TOKEN is not set");
    expect(github.requests).toEqual([]);
  });

  it("records longshot's refusal of bad input for the last step, with no run to report", async () => {
    await repo.git(["rm", "-q", "SPEC.md"]);
    await repo.git(["commit", "-q", "-m", "no spec"]);
    const run = await step("run.mjs", ["--repo", repo.path, "--out-dir", join(work, "out")], {
      LONGSHOT_REQUEST: "Build per SPEC.md",
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ "run-id": "", status: "", branch: "", "exit-code": "2" });
    expect(run.stderr).toContain("has no SPEC.md");
  });

  it("fails clearly when longshot cannot be started", async () => {
    const run = await step("run.mjs", ["--repo", repo.path, "--out-dir", join(work, "out")], {
      LONGSHOT_BIN: join(work, "missing-longshot"),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Could not start longshot");
  });
});
