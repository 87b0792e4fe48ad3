#!/usr/bin/env node
// Pushes the run's branch to GitHub and opens (or updates) its pull request with the report as
// the body, through @longshot/github. The token (GITHUB_TOKEN) reaches git only through the
// environment of the push, never .git/config or the command line.
//
//   node scripts/github/open-pr.mjs --repo <path> --run-file <dir>/run.json --body-file <dir>/report.md
//        [--branch <run branch>] [--base <target>] [--head-branch <name on GitHub>] [--title <text>]
//        [--status <green|red|…>] [--remote origin]
//
// --head-branch reuses one branch (and so one pull request) across runs, overwriting it. A run
// that did not end green opens a draft. Environment: GITHUB_TOKEN (required), GITHUB_REPOSITORY
// (owner/repo, default from the remote), GITHUB_API_URL (default from the remote's host).
// Outputs: pr-number, pr-url.
import { existsSync, readFileSync } from "node:fs";
import { annotate, appendSummary, env, exitCodeOf, fail, loadGitHub, setOutput, stepArgs } from "./lib.mjs";

const { values, repo, recorded } = stepArgs({
  "body-file": { type: "string" },
  branch: { type: "string" },
  base: { type: "string" },
  "head-branch": { type: "string" },
  title: { type: "string" },
  status: { type: "string" },
  remote: { type: "string", default: "origin" },
});
const branch = values.branch || recorded.branch || "";
const base = values.base || recorded.base || "";
const status = values.status || recorded.status || "";
if (branch === "" || base === "") fail("No branch to propose; pass --run-file or --branch and --base.", 2);
const bodyFile = values["body-file"];
if (bodyFile && !existsSync(bodyFile))
  annotate("warning", `${bodyFile} is missing; the pull request gets a short body.`);
const body =
  bodyFile && existsSync(bodyFile)
    ? readFileSync(bodyFile, "utf8")
    : `longshot run \`${recorded.runId ?? branch}\` ended ${status || "without a status"}.\n`;
const request = (recorded.request ?? "").split("\n")[0].trim();
const title =
  values.title || `longshot: ${request.length > 90 ? `${request.slice(0, 89)}…` : request || branch}`;
const headBranch = values["head-branch"] || undefined;

const { connectGitHub, publishPullRequest } = await loadGitHub();
const controller = new AbortController();
process.on("SIGTERM", () => controller.abort());
process.on("SIGINT", () => controller.abort());
try {
  const { client, repository } = await connectGitHub({
    repoPath: repo,
    remote: values.remote,
    token: env("GITHUB_TOKEN"),
    ...(env("GITHUB_REPOSITORY") ? { repository: env("GITHUB_REPOSITORY") } : {}),
    ...(env("GITHUB_API_URL") ? { apiUrl: env("GITHUB_API_URL") } : {}),
    signal: controller.signal,
  });
  const outcome = await publishPullRequest({
    client,
    repoPath: repo,
    remote: values.remote,
    branch,
    ...(headBranch ? { headBranch, force: true } : {}),
    base,
    title,
    body,
    token: env("GITHUB_TOKEN"),
    draft: status !== "green",
    signal: controller.signal,
  });
  if (!outcome.ok) {
    annotate("notice", `No pull request: ${outcome.reason}.`);
  } else {
    const { number, url, created } = outcome.pullRequest;
    console.log(
      `${created ? "Opened" : "Updated"} pull request #${number} in ${repository.owner}/${repository.repo}: ${url}`,
    );
    appendSummary(`\n**Pull request:** [#${number}](${url}) (${created ? "opened" : "updated"})\n`);
    setOutput("pr-number", number);
    setOutput("pr-url", url);
  }
} catch (error) {
  fail(error.message, exitCodeOf(error));
}
