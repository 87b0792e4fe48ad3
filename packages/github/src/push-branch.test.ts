import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "@longshot/core";
import { type GitRunner, type GitRunRequest, ProcessGitRunner } from "@longshot/git";
import { createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitHubError } from "./github-error.js";
import { pushBranch } from "./push-branch.js";
import { type FakeGitHub, startFakeGitHub } from "./testing/index.js";

const token = "ghs_pushToken0123456789";
const basic = Buffer.from(`x-access-token:${token}`).toString("base64");

/** Runs git for real and remembers every invocation. */
class RecordingRunner implements GitRunner {
  readonly requests: GitRunRequest[] = [];
  readonly #inner = new ProcessGitRunner();
  run(request: GitRunRequest) {
    this.requests.push(request);
    return this.#inner.run(request);
  }
}

let repo: TempRepo;
let bare: string;
let github: FakeGitHub;

beforeEach(async () => {
  repo = await createTempRepo();
  bare = await repo.cloneBare("remote.git");
  github = await startFakeGitHub({ token, owner: "acme", repo: "widgets", bareRepository: bare });
  await repo.git(["remote", "add", "origin", github.gitUrl]);
  await repo.git(["checkout", "-q", "-b", "longshot/r1/integration"]);
  await repo.commit({ "src/a.ts": "export const a = 1;\n" }, "task: a");
});
afterEach(async () => {
  await github.close();
  await repo.cleanup();
});

async function remoteSha(ref: string): Promise<string> {
  return (await repo.git(["--git-dir", bare, "rev-parse", ref])).trim();
}

describe("pushBranch", () => {
  it("pushes over HTTP with the token only in git's environment", async () => {
    const runner = new RecordingRunner();
    const outcome = await pushBranch({
      repoPath: repo.path,
      remote: "origin",
      branch: "longshot/r1/integration",
      token,
      runner,
    });
    expect(outcome).toEqual({ ok: true });
    expect(await remoteSha("refs/heads/longshot/r1/integration")).toBe(await repo.sha());
    const gitRequests = github.requests.filter((request) => request.kind === "git");
    expect(gitRequests.length).toBeGreaterThan(0);
    expect(gitRequests.every((request) => request.authorized)).toBe(true);

    const argv = runner.requests.flatMap((request) => request.args).join(" ");
    expect(argv).not.toContain(token);
    expect(argv).not.toContain(basic);
    const config = await readFile(join(repo.path, ".git", "config"), "utf8");
    expect(config).not.toContain(token);
    expect(config).not.toContain(basic);
    expect(config.toLowerCase()).not.toContain("extraheader");
  });

  it("replaces a credential a checkout left in .git/config instead of sending both", async () => {
    const stale = Buffer.from("x-access-token:ghs_expired000000").toString("base64");
    await repo.git(["config", `http.${github.url}/.extraheader`, `AUTHORIZATION: basic ${stale}`]);
    const outcome = await pushBranch({
      repoPath: repo.path,
      remote: "origin",
      branch: "longshot/r1/integration",
      token,
    });
    expect(outcome).toEqual({ ok: true });
    const sent = github.requests
      .filter((request) => request.kind === "git")
      .map((request) => request.authorization);
    expect(sent.every((header) => header === `basic ${basic}` || header === `Basic ${basic}`)).toBe(true);
  });

  it("pushes to another branch name and overwrites it only when forced", async () => {
    const options = { repoPath: repo.path, remote: "origin", branch: "longshot/r1/integration", token };
    expect(await pushBranch({ ...options, remoteBranch: "longshot/nightly" })).toEqual({ ok: true });
    await repo.git(["checkout", "-q", "-b", "longshot/r2/integration", "main"]);
    await repo.commit({ "src/b.ts": "export const b = 2;\n" }, "task: b");
    const second = { ...options, branch: "longshot/r2/integration", remoteBranch: "longshot/nightly" };
    const refused = await pushBranch(second);
    expect(refused.ok).toBe(false);
    expect(await pushBranch({ ...second, force: true })).toEqual({ ok: true });
    expect(await remoteSha("refs/heads/longshot/nightly")).toBe(await repo.sha("longshot/r2/integration"));
  });

  it("fails with a GitHubError naming the fix when the token is refused, without leaking it", async () => {
    const wrong = "ghs_wrongPushToken42";
    const error = await pushBranch({
      repoPath: repo.path,
      remote: github.gitUrl,
      branch: "longshot/r1/integration",
      token: wrong,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as GitHubError).message).toContain("GITHUB_TOKEN");
    expect((error as GitHubError).message).not.toContain(wrong);
    expect(
      await repo.tryGit(["--git-dir", bare, "rev-parse", "--verify", "refs/heads/longshot/r1/integration"]),
    ).toMatchObject({
      exitCode: 128,
    });
  });

  it("names the missing remote", async () => {
    await expect(
      pushBranch({ repoPath: repo.path, remote: "upstream", branch: "main", token }),
    ).rejects.toBeInstanceOf(UserError);
  });
});
