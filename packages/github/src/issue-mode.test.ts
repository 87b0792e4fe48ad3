import { AbortError } from "@longshot/core";
import { createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitHubClient, type IssueSummary } from "./github-client.js";
import { type IssueRunResult, runIssueMode, type StartIssueRun } from "./issue-mode.js";
import { pushBranch } from "./push-branch.js";
import { type FakeGitHub, startFakeGitHub } from "./testing/index.js";

const token = "ghs_issueModeToken12345";
let repo: TempRepo;
let bare: string;
let github: FakeGitHub;
let client: GitHubClient;
const signal = new AbortController().signal;

beforeEach(async () => {
  repo = await createTempRepo();
  bare = await repo.cloneBare("remote.git");
  github = await startFakeGitHub({ token, owner: "acme", repo: "widgets", bareRepository: bare });
  await repo.git(["remote", "add", "origin", github.gitUrl]);
  client = new GitHubClient({ token, owner: "acme", repo: "widgets", baseUrl: github.apiUrl });
});
afterEach(async () => {
  await github.close();
  await repo.cleanup();
});

interface Call {
  readonly request: string;
  readonly issue: number;
}

/** A stand-in for the CLI's run: commits one file on the run's integration branch. */
function fakeRuns(calls: Call[], status: (issue: IssueSummary) => string = () => "green"): StartIssueRun {
  return async (request, issue, context): Promise<IssueRunResult> => {
    const runId = `r-test-${issue.number}`;
    calls.push({ request, issue: issue.number });
    await context.started(runId);
    const branch = `longshot/${runId}/integration`;
    await repo.git(["checkout", "-q", "-b", branch, "main"]);
    await repo.commit(
      { [`src/issue-${issue.number}.ts`]: `export const issue = ${issue.number};\n` },
      issue.title,
    );
    await repo.git(["checkout", "-q", "main"]);
    const final = status(issue);
    return { runId, status: final, branch, reportMarkdown: `## longshot run ${runId}\n\nStatus: ${final}\n` };
  };
}

const pullRequest = {
  base: "main",
  push: (branch: string, pushSignal: AbortSignal) =>
    pushBranch({ repoPath: repo.path, remote: "origin", branch, token, signal: pushSignal }),
};

describe("runIssueMode", () => {
  it("builds each waiting labeled issue, links the run back and opens a pull request that closes it", async () => {
    const wanted = github.addIssue({
      title: "Add a greeting module",
      body: "It says hello.",
      labels: ["longshot"],
    });
    github.addIssue({ title: "Not for longshot", labels: ["bug"] });
    const done = github.addIssue({ title: "Built last night", labels: ["longshot"] });
    github.addComment(
      done.number,
      "<!-- longshot:run r-old -->\nlongshot run `r-old` ended green.",
      "longshot-bot",
    );
    const calls: Call[] = [];

    const result = await runIssueMode({
      client,
      label: "longshot",
      startRun: fakeRuns(calls),
      pullRequest,
      signal,
    });

    expect(calls).toEqual([{ request: "Add a greeting module\n\nIt says hello.", issue: wanted.number }]);
    expect(result.skipped.map((entry) => [entry.issue.number, entry.runId])).toEqual([
      [done.number, "r-old"],
    ]);
    expect(result.handled).toHaveLength(1);
    const handled = result.handled[0];
    expect(handled).toMatchObject({ runId: "r-test-1", status: "green", problem: null });
    const pull = github.pulls[0];
    expect(pull).toMatchObject({
      head: "longshot/r-test-1/integration",
      base: "main",
      title: "Add a greeting module",
    });
    expect(pull?.body).toContain("Status: green");
    expect(pull?.body).toContain(`Closes #${wanted.number}`);
    expect(handled?.pullRequest?.number).toBe(pull?.number);
    expect(await repo.git(["--git-dir", bare, "rev-parse", "longshot/r-test-1/integration"])).toBe(
      await repo.sha("longshot/r-test-1/integration"),
    );

    const comments = wanted.comments.map((comment) => comment.body);
    expect(comments).toHaveLength(2);
    expect(comments[0]).toContain("<!-- longshot:run r-test-1 -->");
    expect(comments[0]).toContain("started run `r-test-1`");
    expect(comments[1]).toContain("ended **green**");
    expect(comments[1]).toContain(`Pull request: #${pull?.number}`);
    expect(comments[1]).toContain("Status: green");
  });

  it("skips issues it already handled on the next cycle", async () => {
    github.addIssue({ title: "Add a greeting module", labels: ["longshot"] });
    const calls: Call[] = [];
    await runIssueMode({ client, label: "longshot", startRun: fakeRuns(calls), pullRequest, signal });
    const second = await runIssueMode({
      client,
      label: "longshot",
      startRun: fakeRuns(calls),
      pullRequest,
      signal,
    });
    expect(calls).toHaveLength(1);
    expect(second.handled).toEqual([]);
    expect(second.skipped.map((entry) => entry.runId)).toEqual(["r-test-1"]);
  });

  it("comments a red run's report without a pull request, or with a draft when asked", async () => {
    const red = github.addIssue({ title: "Hard one", labels: ["longshot"] });
    const calls: Call[] = [];
    const result = await runIssueMode({
      client,
      label: "longshot",
      startRun: fakeRuns(calls, () => "red"),
      pullRequest,
      signal,
    });
    expect(result.handled[0]).toMatchObject({ status: "red", pullRequest: null });
    expect(github.pulls).toEqual([]);
    expect(red.comments.at(-1)?.body).toContain("ended **red**");

    const again = github.addIssue({ title: "Hard two", labels: ["longshot"] });
    await runIssueMode({
      client,
      label: "longshot",
      startRun: fakeRuns(calls, () => "red"),
      pullRequest: { ...pullRequest, draftWhenRed: true },
      signal,
    });
    expect(github.pulls).toHaveLength(1);
    expect(github.pulls[0]).toMatchObject({ draft: true, title: "Hard two" });
    expect(github.pulls[0]?.body).toContain(`Closes #${again.number}`);
  });

  it("reports a run that throws on its issue and goes on with the next one", async () => {
    const broken = github.addIssue({ title: "Broken", labels: ["longshot"] });
    const fine = github.addIssue({ title: "Fine", labels: ["longshot"] });
    const calls: Call[] = [];
    const working = fakeRuns(calls);
    const startRun: StartIssueRun = async (request, issue, context) => {
      if (issue.number === broken.number)
        throw new Error("SPEC.md is missing; write one with `longshot spec`.");
      return working(request, issue, context);
    };
    const result = await runIssueMode({ client, label: "longshot", startRun, signal });
    expect(result.handled.map((entry) => [entry.issue.number, entry.status])).toEqual([
      [broken.number, "error"],
      [fine.number, "green"],
    ]);
    expect(broken.comments[0]?.body).toContain("could not build this issue: SPEC.md is missing");
    expect(broken.comments[0]?.body).toContain("<!-- longshot:run none -->");
    expect(github.pulls).toEqual([]);
  });

  it("builds at most maxIssues per cycle", async () => {
    github.addIssue({ title: "One", labels: ["longshot"] });
    github.addIssue({ title: "Two", labels: ["longshot"] });
    const calls: Call[] = [];
    await runIssueMode({ client, label: "longshot", startRun: fakeRuns(calls), maxIssues: 1, signal });
    expect(calls.map((call) => call.request)).toEqual(["One"]);
  });

  it("stops with AbortError when cancelled during a run", async () => {
    const issue = github.addIssue({ title: "Long", labels: ["longshot"] });
    github.addIssue({ title: "Next", labels: ["longshot"] });
    const controller = new AbortController();
    const startRun: StartIssueRun = async (_request, _issue, context) => {
      await context.started("r-cancelled");
      controller.abort();
      throw new AbortError();
    };
    await expect(
      runIssueMode({ client, label: "longshot", startRun, signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(issue.comments).toHaveLength(1);
    expect(github.issues[1]?.comments).toEqual([]);
  });
});
