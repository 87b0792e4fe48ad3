import { spawn } from "node:child_process";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, it } from "vitest";
import { cliPath, cliSuite, runCli } from "./__fixtures__/cli-harness.js";
import { data, text } from "./__fixtures__/mcp-results.js";

const suite = cliSuite(3);

describe("longshot mcp (the real binary)", () => {
  it("starts a run over stdio, cancels a task, follows it to green and serves the report", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cliPath, "mcp", "--repo", suite.repo.repo],
      env: suite.env({ MAX_WORKERS: "2" }),
      stderr: "pipe",
    });
    const client = new Client({ name: "longshot-cli-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const bad = await client.callTool({
        name: "start_run",
        arguments: { request: "", options: { workers: 0 } },
      });
      expect(bad.isError).toBe(true);
      expect(text(bad)).toMatch(/start_run/);

      const started = data(
        await client.callTool({
          name: "start_run",
          arguments: { request: "Build per SPEC.md", options: { paused: true } },
        }),
      );
      const runId = String(started.runId);
      // Wait for the plan, then cancel the README task before anything runs.
      let tasks: { id: string; title: string; state: string }[] = [];
      for (let tries = 0; tries < 200 && tasks.length < 5; tries++) {
        tasks = (data(await client.callTool({ name: "list_tasks", arguments: { runId } })).tasks ??
          []) as typeof tasks;
        if (tasks.length < 5) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const readme = tasks.find((task) => task.title.includes("README"))!;
      const cancelled = await client.callTool({
        name: "cancel_task",
        arguments: { runId, taskId: readme.id },
      });
      expect(cancelled.isError).toBeFalsy();
      await client.callTool({ name: "resume_run", arguments: { runId } });
      let ended = data(await client.callTool({ name: "get_run", arguments: { runId } }));
      for (let round = 0; round < 20 && ended.live; round++) {
        ended = data(
          await client.callTool({ name: "wait_run", arguments: { runId, timeoutSeconds: 30 } }, undefined, {
            timeout: 45_000,
          }),
        );
      }
      expect(ended.status).toBe("green");
      // Ended the way `longshot` ends a run: main fast-forwarded, said in get_run's delivery
      // (once the run's end has run, which may be after wait_run: up to 60 s).
      let run = ended;
      for (let tries = 0; tries < 300 && run.delivery === null; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        run = data(await client.callTool({ name: "get_run", arguments: { runId } }));
      }
      const main = suite.repo.git("rev-parse", "main");
      expect(run.delivery).toBe(`main now points at ${main.slice(0, 10)}.`);
      expect(main).toBe(run.head);
      const report = await client.readResource({ uri: `longshot://runs/${runId}/report` });
      const body = report.contents[0];
      expect(body && "text" in body ? body.text : "").toContain(runId);
      // The same run the CLI sees.
      const runs = await runCli(["runs", "--repo", suite.repo.repo], suite.env());
      expect(runs.stdout).toContain(runId);
      const detail = await runCli(["show", runId, "--repo", suite.repo.repo, "--json"], suite.env());
      const shown = JSON.parse(detail.stdout) as { tasks: { id: string; state: string }[] };
      expect(shown.tasks.find((task) => task.id === readme.id)?.state).toBe("cancelled");
    } finally {
      await client.close();
    }
  });

  it("refuses HTTP requests without the bearer token", async () => {
    const token = "test-token-0123456789abcdef";
    const child = spawn(
      process.execPath,
      [cliPath, "mcp", "--repo", suite.repo.repo, "--http", "--port", "0", "--token", token],
      {
        env: suite.env(),
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          const match = /on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr);
          if (match) resolve(match[1]!);
        });
        child.on("close", () => reject(new Error(stderr)));
      });
      const denied = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(denied.status).toBe(401);
      const client = new Client({ name: "longshot-cli-test", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      const runs = data(await client.callTool({ name: "list_runs", arguments: {} }));
      expect(Array.isArray(runs.runs)).toBe(true);
      await client.close();
    } finally {
      child.kill("SIGINT");
    }
  });
});
