import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FakeGitHub, startFakeGitHub } from "@longshot/github/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliSuite, runCli, type SampleRepo, sampleRepo } from "./__fixtures__/cli-harness.js";

const suite = cliSuite(4);
const token = "ghs_cliTestToken0123456789";
const scripts = fileURLToPath(new URL("../../../scripts/github/", import.meta.url));
let repo: SampleRepo;
let github: FakeGitHub;

beforeEach(async () => {
  repo = sampleRepo(4);
  const bare = join(repo.dir, "remote.git");
  repo.git("clone", "-q", "--bare", repo.repo, bare);
  github = await startFakeGitHub({ token, owner: "acme", repo: "utils", bareRepository: bare });
  repo.git("remote", "add", "origin", github.gitUrl);
  repo.git("update-ref", "refs/remotes/origin/main", "main");
});
afterEach(async () => {
  await github.close();
  repo.cleanup();
});

function githubEnv(): Record<string, string> {
  return suite.env({
    GITHUB_TOKEN: token,
    GITHUB_API_URL: github.apiUrl,
    GITHUB_REPOSITORY: "acme/utils",
  });
}

describe("longshot and GitHub", () => {
  it("opens a pull request with the report instead of moving main (--pr)", async () => {
    const before = repo.git("rev-parse", "main");
    const result = await runCli(["Build per SPEC.md", "--repo", repo.repo, "--pr"], githubEnv());
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Pull request opened: ${github.url}/acme/utils/pull/1`);
    expect(repo.git("rev-parse", "main")).toBe(before);
    const [pull] = github.pulls;
    expect(pull).toMatchObject({ base: "main", title: "longshot: Build per SPEC.md", draft: false });
    expect(pull?.head).toMatch(/^longshot\/r\S+\/integration$/);
    expect(pull?.body).toContain("green");
    expect(readFileSync(join(repo.repo, ".git", "config"), "utf8")).not.toContain(token);
  });

  it("refuses --pr without a token before touching anything", async () => {
    const env = githubEnv();
    delete env.GITHUB_TOKEN;
    const result = await runCli(["Build per SPEC.md", "--repo", repo.repo, "--pr"], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("GITHUB_TOKEN");
    expect(github.pulls).toEqual([]);
  });

  it("builds a labeled issue into a pull request that closes it (longshot github)", async () => {
    const issue = github.addIssue({
      title: "Build per SPEC.md",
      body: "Everything in SPEC.md.",
      labels: ["longshot"],
    });
    github.addIssue({ title: "Unrelated", body: "not for longshot", labels: ["bug"] });
    const result = await runCli(["github", "--repo", repo.repo, "--no-dashboard"], githubEnv());
    expect(result.stderr).toContain(`#${issue.number} Build per SPEC.md: green`);
    expect(result.code).toBe(0);
    expect(github.pulls).toHaveLength(1);
    expect(github.pulls[0]?.body).toContain(`Closes #${issue.number}`);
    const comments = github.issues.find((entry) => entry.number === issue.number)?.comments ?? [];
    expect(comments.length).toBeGreaterThanOrEqual(2);
    expect(comments.map((comment) => comment.body).join("\n")).toMatch(/longshot:run r\S+/);
    // A second cycle skips the issue it already handled.
    const again = await runCli(["github", "--repo", repo.repo, "--no-dashboard"], githubEnv());
    expect(again.code).toBe(0);
    expect(github.pulls).toHaveLength(1);
  });

  it("runs the action's script steps with the real longshot against the fake model", async () => {
    const out = join(repo.dir, "out");
    const step = (script: string, args: string[], extra: Record<string, string> = {}) =>
      new Promise<{ code: number; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [join(scripts, script), ...args], {
          cwd: repo.repo,
          env: {
            ...githubEnv(),
            GITHUB_OUTPUT: join(repo.dir, "outputs"),
            GITHUB_STEP_SUMMARY: join(repo.dir, "summary.md"),
            ...extra,
          },
          stdio: ["ignore", "ignore", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        child.on("close", (code) => resolve({ code: code ?? 1, stderr }));
      });
    const run = await step("run.mjs", ["--repo", repo.repo, "--out-dir", out], {
      LONGSHOT_REQUEST: "Build per SPEC.md",
    });
    expect(run.code).toBe(0);
    const runFile = JSON.parse(readFileSync(join(out, "run.json"), "utf8")) as {
      status: string;
      runId: string;
    };
    expect(runFile.status).toBe("green");
    const report = await step("report.mjs", [
      "--repo",
      repo.repo,
      "--out-dir",
      out,
      "--run-file",
      join(out, "run.json"),
    ]);
    expect(report.code).toBe(0);
    expect(readFileSync(join(repo.dir, "summary.md"), "utf8")).toContain(runFile.runId);
    const opened = await step("open-pr.mjs", [
      "--repo",
      repo.repo,
      "--run-file",
      join(out, "run.json"),
      "--body-file",
      join(out, "report.md"),
      "--head-branch",
      "longshot/nightly",
    ]);
    expect(opened.stderr).toBe("");
    expect(opened.code).toBe(0);
    expect(github.pulls[0]).toMatchObject({ head: "longshot/nightly", base: "main" });
  });
});
