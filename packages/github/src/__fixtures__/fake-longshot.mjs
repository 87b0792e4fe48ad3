#!/usr/bin/env node
// A stand-in for the `longshot` binary that keeps its documented contract, for testing the
// GitHub scripts without a model:
//   longshot "<request>" --repo P --json   commits on longshot/<run>/integration, prints the
//                                          run-start and run-end events as NDJSON, fast-forwards
//                                          the checked-out target when green; exits 0 green, 1 red
//   longshot report <run> --repo P [--html] --out FILE
// FAKE_LONGSHOT_RUN_ID and FAKE_LONGSHOT_STATUS choose the run id and the outcome.
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const flag = (name) => {
  const index = args.indexOf(name);
  return index < 0 ? undefined : args[index + 1];
};
const repo = flag("--repo") ?? process.cwd();
const state = join(repo, ".git", "longshot");
mkdirSync(join(state, "runs"), { recursive: true });
appendFileSync(join(state, "fake-argv.ndjson"), `${JSON.stringify(args)}\n`);
const identity = {
  GIT_AUTHOR_NAME: "longshot",
  GIT_AUTHOR_EMAIL: "longshot@example.com",
  GIT_COMMITTER_NAME: "longshot",
  GIT_COMMITTER_EMAIL: "longshot@example.com",
};
const git = (gitArgs, env = {}) =>
  execFileSync("git", gitArgs, { cwd: repo, env: { ...process.env, ...identity, ...env }, encoding: "utf8" }).trim();

if (args[0] === "report") {
  const runId = args[1];
  const file = join(state, "runs", `${runId}.json`);
  if (!existsSync(file)) {
    process.stderr.write(`No run ${runId} in ${repo}; list runs with \`longshot runs\`.\n`);
    process.exit(2);
  }
  const run = JSON.parse(readFileSync(file, "utf8"));
  const out = flag("--out");
  const text = args.includes("--html")
    ? `<!doctype html><title>longshot ${runId}</title><h1>Run ${runId}: ${run.status}</h1>\n`
    : `## longshot run \`${runId}\`: ${run.status}\n\nRequest: ${run.request}\n\n| tasks | landed |\n|---|---|\n| 1 | 1 |\n`;
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  process.exit(0);
}

const request = args[0];
if (/SPEC\.md/.test(request) && !existsSync(join(repo, "SPEC.md"))) {
  process.stderr.write(`${repo} has no SPEC.md; write one with \`longshot spec\`.\n`);
  process.exit(2);
}
const runId = process.env.FAKE_LONGSHOT_RUN_ID ?? "r20260101-000000-abcd";
const status = process.env.FAKE_LONGSHOT_STATUS ?? "green";
const target = git(["symbolic-ref", "--short", "HEAD"]);
const branch = `longshot/${runId}/integration`;
const base = git(["rev-parse", "HEAD"]);
let seq = 0;
const emit = (type, body) => {
  process.stdout.write(`${JSON.stringify({ type, runId, seq: seq++, at: 1767225600000 + seq, ...body })}\n`);
};
emit("run-start", { request, repo, baseCommit: base, targetBranch: target, integrationBranch: branch, settings: {} });

const index = join(mkdtempSync(join(tmpdir(), "fake-longshot-")), "index");
const blob = execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: repo, input: `${request}\n`, encoding: "utf8" }).trim();
git(["read-tree", "HEAD"], { GIT_INDEX_FILE: index });
git(["update-index", "--add", "--cacheinfo", `100644,${blob},generated/${runId}.txt`], { GIT_INDEX_FILE: index });
const tree = git(["write-tree"], { GIT_INDEX_FILE: index });
const head = git(["commit-tree", tree, "-p", base, "-m", `task: ${request}`]);
git(["update-ref", `refs/heads/${branch}`, head]);
emit("task-add", { task: { id: "t0001", title: request } });
if (status === "green") git(["merge", "--ff-only", "--quiet", branch]);
writeFileSync(join(state, "runs", `${runId}.json`), JSON.stringify({ request, status, branch }));
emit("run-end", { status, reason: status === "green" ? "all tasks landed" : "the build is broken", head });
process.exit(status === "green" ? 0 : 1);
