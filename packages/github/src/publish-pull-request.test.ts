import { UserError } from "@longshot/core";
import { createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectGitHub } from "./connect-github.js";
import { publishPullRequest } from "./publish-pull-request.js";
import { type FakeGitHub, startFakeGitHub } from "./testing/index.js";

const token = "ghs_publishToken987654";
let repo: TempRepo;
let github: FakeGitHub;
let bare: string;

beforeEach(async () => {
  repo = await createTempRepo();
  bare = await repo.cloneBare("remote.git");
  github = await startFakeGitHub({ token, owner: "acme", repo: "widgets", bareRepository: bare });
  await repo.git(["remote", "add", "origin", github.gitUrl]);
  // What a checkout leaves: the remote's main as a remote-tracking branch.
  await repo.git(["update-ref", "refs/remotes/origin/main", "main"]);
});
afterEach(async () => {
  await github.close();
  await repo.cleanup();
});

async function runBranch(runId: string, file: string): Promise<string> {
  const branch = `longshot/${runId}/integration`;
  await repo.git(["checkout", "-q", "-b", branch, "main"]);
  await repo.commit({ [file]: `// ${runId}\n` }, `work of ${runId}`);
  await repo.git(["checkout", "-q", "main"]);
  return branch;
}

describe("connectGitHub and publishPullRequest", () => {
  it("finds the repository from the remote, pushes the run branch and opens then updates one pull request", async () => {
    const { client, repository } = await connectGitHub({ repoPath: repo.path, token, apiUrl: github.apiUrl });
    expect(repository).toEqual({ host: github.url.replace("http://", ""), owner: "acme", repo: "widgets" });
    const common = {
      client,
      repoPath: repo.path,
      base: "main",
      token,
      headBranch: "longshot/nightly",
      force: true,
    };

    const first = await publishPullRequest({
      ...common,
      branch: await runBranch("r1", "a.ts"),
      title: "longshot nightly",
      body: "report one",
    });
    expect(first).toEqual({
      ok: true,
      pullRequest: { number: 1, url: `${github.url}/acme/widgets/pull/1`, created: true },
    });

    const second = await publishPullRequest({
      ...common,
      branch: await runBranch("r2", "b.ts"),
      title: "longshot nightly",
      body: "report two",
    });
    expect(second).toMatchObject({ ok: true, pullRequest: { number: 1, created: false } });
    expect(github.pulls).toHaveLength(1);
    expect(github.pulls[0]).toMatchObject({ head: "longshot/nightly", body: "report two" });
    expect(await repo.git(["--git-dir", bare, "rev-parse", "longshot/nightly"])).toBe(
      await repo.sha("longshot/r2/integration"),
    );
  });

  it("opens nothing when the branch has no new commits", async () => {
    const { client } = await connectGitHub({ repoPath: repo.path, token, apiUrl: github.apiUrl });
    const outcome = await publishPullRequest({
      client,
      repoPath: repo.path,
      branch: "main",
      headBranch: "longshot/empty",
      base: "main",
      title: "nothing",
      body: "",
      token,
    });
    expect(outcome).toEqual({ ok: false, reason: "main has no commits that origin/main lacks" });
    expect(github.requests).toEqual([]);
  });

  it("refuses to connect without a token or a GitHub remote, before any request", async () => {
    await expect(connectGitHub({ repoPath: repo.path, token: " " })).rejects.toThrow(
      /GITHUB_TOKEN is not set/,
    );
    await repo.git(["remote", "set-url", "origin", "/srv/git/widgets.git"]);
    const error = await connectGitHub({ repoPath: repo.path, token }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain("not a GitHub repository");
    const named = await connectGitHub({
      repoPath: repo.path,
      token,
      repository: "acme/widgets",
      apiUrl: github.apiUrl,
    });
    expect(named.repository).toMatchObject({ owner: "acme", repo: "widgets" });
    expect(github.requests).toEqual([]);
  });
});
