import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { systemClock } from "@longshot/core";
import { type FakeGitHub, startFakeGitHub } from "@longshot/github/testing";
import { SqliteStore } from "@longshot/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeServerProcess,
  type Running,
  runEnv,
  type SampleRepo,
  startCli,
  startSwarm,
} from "./__fixtures__/cli-harness.js";

const token = "ghs_watchTestToken0123456789";
const secret = "whsec-watch-test";
const policy = fileURLToPath(new URL("./__fixtures__/watch-policy.mjs", import.meta.url));
let server: FakeServerProcess;
let repo: SampleRepo;
let github: FakeGitHub;
let bare: string;

beforeAll(async () => {
  ({ server, repo } = await startSwarm(2, { SWARM_LATENCY_MS: "150" }, policy));
  bare = join(repo.dir, "remote.git");
  repo.git("clone", "-q", "--bare", repo.repo, bare);
  github = await startFakeGitHub({ token, owner: "acme", repo: "utils", bareRepository: bare });
  repo.git("remote", "add", "origin", github.gitUrl);
});
afterAll(async () => {
  await github?.close();
  await server?.stop();
  repo?.cleanup();
});

function watchEnv(): Record<string, string> {
  return runEnv(server.url, {
    GITHUB_TOKEN: token,
    GITHUB_API_URL: github.apiUrl,
    GITHUB_REPOSITORY: "acme/utils",
    GITHUB_POLL_INTERVAL: "5",
    GITHUB_WEBHOOK_PORT: "0",
    GITHUB_WEBHOOK_SECRET: secret,
    GITHUB_MAX_GAP_ISSUES: "1",
    MAX_WORKERS: "2",
  });
}

/** The watcher as a real process, with its webhook address read from what it prints. */
function startWatcher(): { running: Running; webhook: Promise<string>; stderr: () => string } {
  const running = startCli(["github", "--watch", "--repo", repo.repo, "--no-dashboard"], watchEnv());
  let stderr = "";
  const webhook = new Promise<string>((resolve) => {
    running.child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /Webhook receiver listening on http:\/\/[^:]+:(\d+)/.exec(stderr);
      if (match) resolve(`http://127.0.0.1:${match[1]}/`);
    });
  });
  return { running, webhook, stderr: () => stderr };
}

async function deliver(url: string, event: string, payload: unknown): Promise<number> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "x-github-event": event,
      "x-hub-signature-256": signature,
      "content-type": "application/json",
    },
    body,
  });
  return response.status;
}

/** Waits (polling, no timed assertion) until `check` holds; fails with `what` after `limitMs`. */
async function until(what: string, check: () => boolean, limitMs: number, log: () => string): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > limitMs)
      throw new Error(`Timed out waiting for ${what}.\n${log().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const comments = (number: number) => github.issues.find((issue) => issue.number === number)?.comments ?? [];
const bareGit = (...args: string[]) =>
  execFileSync("git", ["-C", bare, ...args], { encoding: "utf8" }).trim();

describe("longshot github --watch", () => {
  it("refuses bad settings with one sentence and exit code 2, before touching GitHub", async () => {
    const before = github.requests.length;
    const badTime = await startCli(
      ["github", "--watch", "--repo", repo.repo, "--watch-time", "soon"],
      watchEnv(),
    ).done;
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain('--watch-time is "soon" but must be a whole number of seconds');
    const env = watchEnv();
    delete env.GITHUB_WEBHOOK_SECRET;
    const noSecret = await startCli(["github", "--watch", "--repo", repo.repo], env).done;
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain("GITHUB_WEBHOOK_PORT is set but GITHUB_WEBHOOK_SECRET is not");
    expect(github.requests.length).toBe(before);
  });

  // Generous limits: each run is a real swarm (sandboxes, merge queue, health checks) on a shared 2-core machine.
  it("builds two issues into pull requests, follows a review, records a merge, survives SIGKILL, and never does anything twice", async () => {
    const first = github.addIssue({
      title: "Build the utils library",
      body: "Everything in SPEC.md, as described there.",
      labels: ["longshot"],
    });
    const second = github.addIssue({
      title: "Build the library again",
      body: "Per SPEC.md too.",
      labels: ["longshot"],
    });
    github.addIssue({ title: "Not for longshot", labels: ["bug"] });

    // 1. The first watcher builds issue 1 into a pull request, then starts issue 2 and is killed mid-run.
    let watcher = startWatcher();
    const log = () => watcher.stderr();
    await until("the pull request of issue 1", () => github.pulls.length >= 1, 240_000, log);
    const store = new SqliteStore(join(repo.repo, ".git", "longshot", "longshot.db"), { clock: systemClock });
    const secondRun = () => store.listRuns().find((run) => run.request.startsWith("Build the library again"));
    await until(
      "issue 2's run to land a task",
      () => (secondRun()?.tasks.landed ?? 0) >= 1 && secondRun()?.endedAt === null,
      240_000,
      log,
    );
    const killedRunId = secondRun()!.runId;
    watcher.running.child.kill("SIGKILL");
    const killed = await watcher.running.done;
    expect(killed.signal).toBe("SIGKILL");
    expect(github.pulls).toHaveLength(1);

    // 2. A new watcher resumes that run (same id) and opens the second pull request.
    watcher = startWatcher();
    const hook = await watcher.webhook;
    await until("the pull request of issue 2", () => github.pulls.length >= 2, 240_000, log);
    const [pullOne, pullTwo] = github.pulls;
    expect(pullOne).toMatchObject({ head: `longshot/issue-${first.number}`, base: "main" });
    expect(pullTwo).toMatchObject({ head: `longshot/issue-${second.number}`, base: "main" });
    expect(pullOne!.body).toContain(`Closes #${first.number}`);
    expect(pullTwo!.body).toContain(`Closes #${second.number}`);
    expect(
      store
        .listRuns()
        .filter((run) => run.request.startsWith("Build the library again"))
        .map((run) => run.runId),
    ).toEqual([killedRunId]);
    expect(store.getRun(killedRunId)?.status).toBe("green");
    const titles = store.listTasks(killedRunId).map((task) => task.title);
    expect(new Set(titles).size).toBe(titles.length);

    // 3. A review comment on pull request 1 becomes a follow-up run, a new commit there, and a reply.
    const headBefore = bareGit("rev-parse", `refs/heads/longshot/issue-${first.number}`);
    github.addReview(pullOne!.number, {
      state: "CHANGES_REQUESTED",
      user: "alice",
      body: "Please say how the edge cases are handled.",
      comments: [{ path: "src/clamp.ts", line: 2, body: "Why throw here instead of swapping min and max?" }],
    });
    expect(await deliver(hook, "pull_request_review", { action: "submitted" })).toBe(202);
    expect(
      await deliver(hook, "pull_request_review", { forged: true })
        .then(() =>
          fetch(hook, { method: "POST", body: "{}", headers: { "x-hub-signature-256": "sha256=00" } }),
        )
        .then((response) => response.status),
    ).toBe(401);
    const replies = () =>
      comments(pullOne!.number).filter((comment) => comment.body.includes("longshot:reply"));
    await until("the reply to the review", () => replies().length >= 1, 240_000, log);
    const headAfter = bareGit("rev-parse", `refs/heads/longshot/issue-${first.number}`);
    expect(headAfter).not.toBe(headBefore);
    expect(bareGit("merge-base", "--is-ancestor", headBefore, headAfter)).toBe("");
    expect(bareGit("show", `${headAfter}:REVIEW_NOTES.md`)).toContain("Why throw here");
    const reply = replies()[0]!.body;
    expect(reply).toContain("@alice");
    expect(reply).toContain("Why throw here instead of swapping min and max?");
    expect(reply).toContain("Apply the review feedback");

    // 4. Merging pull request 1 updates CAPABILITIES.md on main and files one gap issue for approval.
    await github.mergePull(pullOne!.number);
    expect(await deliver(hook, "pull_request", { action: "closed" })).toBe(202);
    const gapIssues = () => github.issues.filter((issue) => issue.labels.includes("longshot-proposed"));
    await until(
      "the gap-analysis issue",
      () => gapIssues().length >= 1 && (comments(first.number)[0]?.body ?? "").includes("Gap analysis filed"),
      240_000,
      log,
    );
    const capabilities = bareGit("show", "refs/heads/main:CAPABILITIES.md");
    expect(capabilities).toContain("**Build the utils library**: Everything in SPEC.md, as described there.");
    expect(capabilities).toContain(`pull request [#${pullOne!.number}]`);
    expect(capabilities).toMatch(/runs? `r\S+`/);
    const [gap] = gapIssues();
    expect(gap!.title).toBe("Add a slugify module");
    expect(gap!.labels).toEqual(["longshot-proposed"]);
    for (const heading of ["## Goal excerpt", "## Gap", "## Acceptance criteria"])
      expect(gap!.body).toContain(heading);
    expect(gap!.body).toContain('- [ ] slugify("Hello World") returns "hello-world"');
    expect(gap!.body).toMatch(/> .*module/);

    // 5. A quiet period, then a clean stop: nothing was done twice.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    watcher.running.child.kill("SIGINT");
    const ended = await watcher.running.done;
    expect(ended.code).toBe(130);
    store.close();
    expect(github.pulls).toHaveLength(2);
    expect(gapIssues()).toHaveLength(1);
    for (const issue of [first, second]) {
      const statuses = comments(issue.number).filter((comment) =>
        comment.body.includes(`longshot:status ${issue.number}`),
      );
      expect(statuses).toHaveLength(1);
    }
    expect(replies()).toHaveLength(1);
    expect(comments(second.number)[0]!.body.match(/\| `r\S+` \| the issue \|/g)).toHaveLength(1);
    expect(
      bareGit("log", "--format=%s", "refs/heads/main")
        .split("\n")
        .filter((line) => line.startsWith("Capabilities:")),
    ).toHaveLength(1);
    // Polls were conditional: GitHub answered unchanged reads with 304.
    expect(github.requests.filter((request) => request.status === 304).length).toBeGreaterThan(0);
    expect(readFileSync(join(repo.repo, ".git", "config"), "utf8")).not.toContain(token);
  }, 900_000);
});
