import { AbortError } from "@longshot/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitHubClient } from "./github-client.js";
import { GitHubError } from "./github-error.js";
import { type FakeGitHub, startFakeGitHub } from "./testing/index.js";

const token = "ghs_fakeToken1234567890";
let github: FakeGitHub;
let client: GitHubClient;

beforeEach(async () => {
  github = await startFakeGitHub({ token, owner: "acme", repo: "widgets" });
  client = new GitHubClient({ token, owner: "acme", repo: "widgets", baseUrl: github.apiUrl });
});
afterEach(async () => {
  await github.close();
});

describe("GitHubClient", () => {
  it("opens a pull request, then updates the same one on a second call", async () => {
    const first = await client.openOrUpdatePullRequest({
      head: "longshot/r1/integration",
      base: "main",
      title: "longshot: Build per SPEC.md",
      body: "first report",
    });
    expect(first).toEqual({ number: 1, url: `${github.url}/acme/widgets/pull/1`, created: true });

    const second = await client.openOrUpdatePullRequest({
      head: "longshot/r1/integration",
      base: "main",
      title: "longshot: Build per SPEC.md (again)",
      body: "second report",
    });
    expect(second).toEqual({ number: 1, url: first.url, created: false });
    expect(github.pulls).toHaveLength(1);
    expect(github.pulls[0]).toMatchObject({
      title: "longshot: Build per SPEC.md (again)",
      body: "second report",
    });
    const calls = github.requests.map((request) => `${request.method} ${request.url.split("?")[0]}`);
    expect(calls).toEqual([
      "GET /api/v3/repos/acme/widgets/pulls",
      "POST /api/v3/repos/acme/widgets/pulls",
      "GET /api/v3/repos/acme/widgets/pulls",
      "PATCH /api/v3/repos/acme/widgets/pulls/1",
    ]);
    expect(github.requests.every((request) => request.authorization === `token ${token}`)).toBe(true);
  });

  it("ends with one pull request when two runs open it at the same time", async () => {
    const results = await Promise.all([
      client.openOrUpdatePullRequest({ head: "nightly", base: "main", title: "one", body: "one" }),
      client.openOrUpdatePullRequest({ head: "nightly", base: "main", title: "two", body: "two" }),
    ]);
    expect(results.map((result) => result.created).sort()).toEqual([false, true]);
    expect(github.pulls).toHaveLength(1);
  });

  it("opens a separate pull request for another branch and drafts on request", async () => {
    await client.openOrUpdatePullRequest({ head: "a", base: "main", title: "A", body: "" });
    const other = await client.openOrUpdatePullRequest({
      head: "b",
      base: "main",
      title: "B",
      body: "",
      draft: true,
    });
    expect(other.created).toBe(true);
    expect(github.pulls.map((pull) => [pull.head, pull.draft])).toEqual([
      ["a", false],
      ["b", true],
    ]);
  });

  it("cuts a report longer than GitHub accepts instead of failing", async () => {
    const body = `${"line of the report\n".repeat(5000)}`;
    await client.openOrUpdatePullRequest({ head: "a", base: "main", title: "A", body });
    const stored = github.pulls[0]?.body ?? "";
    expect(stored.length).toBeLessThanOrEqual(65_000);
    expect(stored).toContain("truncated");
  });

  it("lists open labeled issues oldest first, across pages, without pull requests", async () => {
    for (let index = 1; index <= 105; index += 1) {
      github.addIssue({ title: `issue ${index}`, labels: index % 2 === 0 ? ["longshot"] : ["other"] });
    }
    await client.openOrUpdatePullRequest({ head: "x", base: "main", title: "a pull request", body: "" });
    const issues = await client.listLabeledIssues("longshot");
    expect(issues).toHaveLength(52);
    expect(issues[0]).toMatchObject({ number: 2, title: "issue 2", labels: ["longshot"], author: "octocat" });
    expect(issues.at(-1)?.title).toBe("issue 104");
    const all = await client.listOpenIssues();
    expect(all).toHaveLength(105);
    expect(github.requests.filter((request) => request.url.includes("page=2"))).toHaveLength(1);
  });

  it("comments on an issue and reads the comments back", async () => {
    const issue = github.addIssue({ title: "Add a CLI", labels: ["longshot"] });
    github.addComment(issue.number, "please do this");
    const posted = await client.commentOnIssue(issue.number, "on it");
    expect(posted.body).toBe("on it");
    const comments = await client.listIssueComments(issue.number);
    expect(comments.map((comment) => [comment.author, comment.body])).toEqual([
      ["octocat", "please do this"],
      ["longshot-bot", "on it"],
    ]);
  });

  it("files an issue with labels", async () => {
    const filed = await client.createIssue({ title: "Next gap", body: "details", labels: ["longshot"] });
    expect(filed).toMatchObject({ number: 1, title: "Next gap", labels: ["longshot"] });
    expect(github.issues[0]?.labels).toEqual(["longshot"]);
  });

  it("reads the repository's default branch", async () => {
    expect(await client.repository()).toEqual({
      fullName: "acme/widgets",
      defaultBranch: "main",
      url: `${github.url}/acme/widgets`,
    });
  });

  it("reports a refused token as a user error that names the fix and never the token", async () => {
    const wrong = new GitHubClient({
      token: "ghs_wrongToken99999",
      owner: "acme",
      repo: "widgets",
      baseUrl: github.apiUrl,
    });
    const error = await wrong.listLabeledIssues("longshot").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitHubError);
    const gitHubError = error as GitHubError;
    expect(gitHubError.status).toBe(401);
    expect(gitHubError.exitCode).toBe(2);
    expect(gitHubError.message).toContain("GITHUB_TOKEN");
    expect(gitHubError.message).not.toContain("ghs_wrongToken99999");
    expect(github.requests[0]?.authorized).toBe(false);
  });

  it("reports an unreachable API as a transport failure", async () => {
    await github.close();
    const error = await client.repository().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as GitHubError).status).toBeNull();
    expect((error as GitHubError).message).toContain("Could not reach GitHub");
  });

  it("rejects with AbortError when cancelled", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(client.repository({ signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(github.requests).toHaveLength(0);
  });
});
