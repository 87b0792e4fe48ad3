import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeGitHub, startFakeGitHub } from "@longshot/github/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterEach, describe, expect, it } from "vitest";
import { cliPath, cliSuite } from "./__fixtures__/cli-harness.js";
import { data, text } from "./__fixtures__/mcp-results.js";

const suite = cliSuite(3);
const token = "ghs_mcpFinishToken0123456789";
let github: FakeGitHub | null = null;

afterEach(async () => {
  await github?.close();
  github = null;
});

async function connect(args: readonly string[], env: Record<string, string>, cwd: string): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cliPath, "mcp", ...args],
    env,
    cwd,
    stderr: "pipe",
  });
  const client = new Client({ name: "longshot-finish-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

/** Follows the run with wait_run until it is no longer live (at most 20 rounds of 30 s). */
async function followToEnd(client: Client, runId: string): Promise<Record<string, unknown>> {
  let run = data(await client.callTool({ name: "get_run", arguments: { runId } }));
  for (let round = 0; round < 20 && run.live; round++) {
    run = data(
      await client.callTool({ name: "wait_run", arguments: { runId, timeoutSeconds: 30 } }, undefined, {
        timeout: 45_000,
      }),
    );
  }
  return run;
}

/**
 * get_run's `delivery`: where the work went. The end of the run (push, pull request) happens
 * after its loop ended, so after wait_run can already say so: poll for up to 60 s (a loaded
 * machine), then return what get_run says.
 */
async function deliveryOf(client: Client, runId: string): Promise<unknown> {
  let run = data(await client.callTool({ name: "get_run", arguments: { runId } }));
  for (let tries = 0; tries < 300 && run.delivery === null; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    run = data(await client.callTool({ name: "get_run", arguments: { runId } }));
  }
  return run.delivery;
}

describe("longshot mcp ends a run as longshot does", () => {
  it("pushes a green run to GIT_REPO_URL (a bare repository) and leaves the user's clone alone", async () => {
    const source = suite.fresh();
    const bare = join(source.dir, "remote.git");
    source.git("clone", "-q", "--bare", source.repo, bare);
    const remoteGit = (...args: string[]) =>
      execFileSync("git", ["--git-dir", bare, ...args], { encoding: "utf8" }).trim();
    const before = remoteGit("rev-parse", "main");
    const env = suite.env({ GIT_REPO_URL: bare, LONGSHOT_HOME: join(source.dir, "home") });
    // No --repo: the server works in its clone of GIT_REPO_URL, as `longshot "<request>"` does.
    const client = await connect([], env, source.dir);
    try {
      const started = data(
        await client.callTool({ name: "start_run", arguments: { request: "Build per SPEC.md" } }),
      );
      const runId = String(started.runId);
      expect(String(started.repo)).toContain(join(source.dir, "home", "repos"));
      expect((await followToEnd(client, runId)).status).toBe("green");
      const delivery = await deliveryOf(client, runId);
      const main = remoteGit("rev-parse", "main");
      expect(main).not.toBe(before);
      expect(delivery).toBe(`main on ${bare} now points at ${main.slice(0, 10)}.`);
      expect(remoteGit("ls-tree", "-r", "--name-only", "main")).toContain("src/clamp.test.ts");
      const integration = remoteGit("for-each-ref", "--format=%(refname)", `refs/heads/longshot/${runId}/`);
      expect(integration).toBe(`refs/heads/longshot/${runId}/integration`);
      expect(remoteGit("rev-parse", integration)).toBe(main);
      expect(source.git("rev-list", "--count", "main")).toBe("1");
    } finally {
      await client.close();
    }
  });

  it("opens a pull request with the report instead of moving main (options.pr)", async () => {
    const repo = suite.fresh();
    const bare = join(repo.dir, "remote.git");
    repo.git("clone", "-q", "--bare", repo.repo, bare);
    github = await startFakeGitHub({ token, owner: "acme", repo: "utils", bareRepository: bare });
    repo.git("remote", "add", "origin", github.gitUrl);
    repo.git("update-ref", "refs/remotes/origin/main", "main");
    const before = repo.git("rev-parse", "main");
    const env = suite.env({
      GITHUB_TOKEN: token,
      GITHUB_API_URL: github.apiUrl,
      GITHUB_REPOSITORY: "acme/utils",
    });
    const client = await connect(["--repo", repo.repo], env, repo.dir);
    try {
      const started = data(
        await client.callTool({
          name: "start_run",
          arguments: { request: "Build per SPEC.md", options: { pr: true } },
        }),
      );
      const runId = String(started.runId);
      expect((await followToEnd(client, runId)).status).toBe("green");
      const fake = github;
      expect(await deliveryOf(client, runId)).toBe(`Pull request opened: ${fake.url}/acme/utils/pull/1`);
      expect(fake.pulls).toHaveLength(1);
      expect(fake.pulls[0]).toMatchObject({
        base: "main",
        head: `longshot/${runId}/integration`,
        title: "longshot: Build per SPEC.md",
        draft: false,
      });
      expect(fake.pulls[0]?.body).toContain(runId);
      expect(repo.git("rev-parse", "main")).toBe(before);
      expect(readFileSync(join(repo.repo, ".git", "config"), "utf8")).not.toContain(token);
    } finally {
      await client.close();
    }
  });

  it("refuses options.pr without GITHUB_TOKEN before a run is recorded", async () => {
    const repo = suite.fresh();
    const client = await connect(["--repo", repo.repo], suite.env(), repo.dir);
    try {
      const refused = await client.callTool({
        name: "start_run",
        arguments: { request: "Build per SPEC.md", options: { pr: true } },
      });
      expect(refused.isError).toBe(true);
      expect(text(refused)).toMatch(/^GITHUB_TOKEN is not set; set it to a token/);
      const runs = data(await client.callTool({ name: "list_runs", arguments: {} }));
      expect(runs.runs).toEqual([]);
      expect(repo.git("for-each-ref", "--format=%(refname)", "refs/heads/longshot/")).toBe("");
    } finally {
      await client.close();
    }
  });
});
