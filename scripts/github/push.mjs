#!/usr/bin/env node
// Direct landing: pushes the target branch, which longshot fast-forwarded to the green run, to
// GitHub (a fast-forward push; never forced). The token reaches git only through the
// environment of the push.
//
//   node scripts/github/push.mjs --repo <path> [--run-file <dir>/run.json | --branch <name>] [--remote origin]
import { annotate, env, exitCodeOf, fail, loadGitHub, stepArgs } from "./lib.mjs";

const { values, repo, recorded } = stepArgs({
  branch: { type: "string" },
  remote: { type: "string", default: "origin" },
});
const branch = values.branch || recorded.base || "";
if (branch === "") fail("No branch to push; pass --branch or --run-file.", 2);
const token = env("GITHUB_TOKEN")?.trim();
if (!token) fail("GITHUB_TOKEN is not set; set it to a token that can push to the repository.", 2);

const { pushBranch } = await loadGitHub();
try {
  const outcome = await pushBranch({ repoPath: repo, remote: values.remote, branch, token });
  if (!outcome.ok) fail(`GitHub refused the push of ${branch}: ${outcome.reason}`);
  annotate("notice", `Pushed ${branch} to ${values.remote}.`);
} catch (error) {
  fail(error.message, exitCodeOf(error));
}
