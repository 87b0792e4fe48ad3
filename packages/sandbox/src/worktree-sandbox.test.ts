import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createFixtureRepo, type FixtureRepo } from "./internal/conformance/fixture-repo.js";
import { providerTestbed } from "./internal/conformance/provider-testbed.js";
import { defaultSandboxLimits } from "./limits.js";
import type { Sandbox } from "./sandbox.js";
import { WorktreeSandboxProvider, type WorktreeSandboxProviderOptions } from "./worktree-sandbox-provider.js";

const author = { name: "Test", email: "test@example.com" };

let repo: FixtureRepo;
let root: string;
const providers: WorktreeSandboxProvider[] = [];
const testbed = providerTestbed("test");

beforeAll(() => {
  repo = createFixtureRepo(undefined);
  root = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "longshot-worktree-test-"));
});
afterEach(async () => {
  await testbed.destroySandboxes();
  await Promise.all(providers.splice(0).map((provider) => provider.close()));
});
afterAll(() => {
  repo.remove();
  rmSync(root, { recursive: true, force: true });
});

function provider(options: WorktreeSandboxProviderOptions = {}): WorktreeSandboxProvider {
  const created = new WorktreeSandboxProvider({ root, ...options });
  providers.push(created);
  return created;
}

function create(target: WorktreeSandboxProvider, base = repo.base): Promise<Sandbox> {
  return testbed.create(target, { path: repo.path, base });
}

describe("WorktreeSandbox under bubblewrap", () => {
  it("reaches a unix socket bound into it (the model gateway's) and nothing on the host's loopback", async () => {
    const dir = mkdtempSync(join(root, "socket-"));
    const socketPath = join(dir, "gateway.sock");
    const seen: string[] = [];
    const server = createServer((socket) => {
      seen.push("socket");
      socket.end("hello through the socket\n");
    });
    const loopback = createServer(() => seen.push("loopback"));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    await new Promise<void>((resolve) => loopback.listen(0, "127.0.0.1", resolve));
    const port = (loopback.address() as AddressInfo).port;
    try {
      const sandbox = await create(
        provider({ bubblewrap: true, sockets: [{ host: socketPath, inside: socketPath }] }),
      );
      const connect = (target: string) =>
        `node -e 'const s=require("net").connect(${target});s.on("data",d=>process.stdout.write(d));s.on("error",e=>console.log(e.code))'`;
      expect((await sandbox.exec({ command: connect(JSON.stringify(socketPath)) })).stdout).toBe(
        "hello through the socket\n",
      );
      expect((await sandbox.exec({ command: connect(`${port},"127.0.0.1"`) })).stdout.trim()).toBe(
        "ECONNREFUSED",
      );
      expect(seen).toEqual(["socket"]);
    } finally {
      server.close();
      loopback.close();
    }
  });
});

describe("WorktreeSandboxProvider", () => {
  it("refuses to create a sandbox when isolation does not work here, naming the fix, and never runs unwrapped", async () => {
    const target = provider({ bubblewrapBinary: "/nonexistent/bwrap" });
    await expect(
      target.create({
        repoPath: repo.path,
        baseCommit: repo.base,
        runId: "r",
        taskId: "t",
        branch: "longshot/r/t-refused",
        limits: defaultSandboxLimits,
      }),
    ).rejects.toMatchObject({
      reason: "create-failed",
      message: expect.stringMatching(/bubblewrap is not installed.*SANDBOX_PROVIDER=none/s),
    });
    expect(repo.git("branch", "--list", "longshot/r/t-refused")).toBe("");
    expect(await target.slots()).toEqual([]);
  });

  it("names itself none when it runs commands unwrapped", async () => {
    const target = provider({ bubblewrap: false });
    expect(target.name).toBe("none");
    const sandbox = await create(target);
    expect(sandbox.provider).toBe("none");
    expect(sandbox.isolation).toEqual({
      network: false,
      filesystem: false,
      processes: false,
      cpu: false,
      memory: false,
    });
  });

  it("reuses pooled worktrees up to the pool size and removes the rest; close removes the pool", async () => {
    const target = provider({ warmPoolSize: 2, bubblewrap: false });
    const first = await Promise.all([create(target), create(target), create(target)]);
    await Promise.all(first.map((sandbox) => sandbox.destroy()));
    expect((await target.slots()).filter((slot) => slot.state === "idle")).toHaveLength(2);
    const removed = first.filter((sandbox) => !existsSync(sandbox.workdir));
    expect(removed).toHaveLength(1);
    const again = await create(target, repo.next);
    expect(first.map((sandbox) => sandbox.workdir)).toContain(again.workdir);
    expect(await again.readFile("README.md")).toBe("# fixture, next\n");
    await again.destroy();
    await target.close();
    for (const sandbox of first) expect(existsSync(sandbox.workdir)).toBe(false);
    expect(repo.git("worktree", "list", "--porcelain")).not.toContain(root);
  });

  it("warms worktrees ahead of creates, up to the pool size, that creates then take; an aborted warm-up stops", async () => {
    const target = provider({ warmPoolSize: 3, bubblewrap: false });
    expect(await target.warm({ repoPath: repo.path, baseCommit: repo.base, count: 5 })).toBe(3);
    const warmed = (await target.slots()).map((slot) => slot.workdir);
    expect(warmed).toHaveLength(3);
    // A create takes a warmed worktree (checked out at its own base) instead of adding one.
    const sandbox = await create(target, repo.next);
    expect(warmed).toContain(sandbox.workdir);
    expect(await sandbox.readFile("README.md")).toBe("# fixture, next\n");
    expect((await target.slots()).filter((slot) => slot.state === "idle")).toHaveLength(2);
    // Slots in use count: with three there already, warming again adds none; with four, one.
    expect(await target.warm({ repoPath: repo.path, baseCommit: repo.base, count: 3 })).toBe(0);
    await sandbox.destroy();
    const larger = provider({ warmPoolSize: 4, bubblewrap: false });
    const held = await create(larger);
    expect(await larger.warm({ repoPath: repo.path, baseCommit: repo.base, count: 2 })).toBe(1);
    await held.destroy();
    expect((await larger.slots()).filter((slot) => slot.state === "idle")).toHaveLength(2);
    await larger.close();
    // An aborted warm-up adds nothing.
    const stopped = provider({ warmPoolSize: 3, bubblewrap: false });
    const abort = new AbortController();
    abort.abort();
    expect(
      await stopped.warm({ repoPath: repo.path, baseCommit: repo.base, count: 3, signal: abort.signal }),
    ).toBe(0);
    // A base that does not exist stops the warm-up; creates still report it themselves.
    expect(await stopped.warm({ repoPath: repo.path, baseCommit: "0".repeat(40), count: 3 })).toBe(0);
    await target.close();
    expect(repo.git("worktree", "list", "--porcelain")).not.toContain(root);
  });

  it("puts worktrees on tmpfs by default", () => {
    const target = new WorktreeSandboxProvider();
    expect(target.root).toBe(
      existsSync("/dev/shm") ? "/dev/shm/longshot-sandboxes" : join(tmpdir(), "longshot-sandboxes"),
    );
  });

  it("fails clearly for a path that is not a repository or a base that does not exist", async () => {
    const target = provider({ bubblewrap: false });
    const notRepo = mkdtempSync(join(tmpdir(), "longshot-not-a-repo-"));
    const options = { runId: "r", taskId: "t", branch: "longshot/r/t", limits: defaultSandboxLimits };
    await expect(
      target.create({ ...options, repoPath: notRepo, baseCommit: repo.base }),
    ).rejects.toMatchObject({
      reason: "create-failed",
    });
    rmSync(notRepo, { recursive: true });
    const missing = "0123456789012345678901234567890123456789";
    await expect(
      target.create({ ...options, repoPath: repo.path, baseCommit: missing }),
    ).rejects.toMatchObject({
      reason: "create-failed",
    });
    expect((await (await create(target)).exec({ command: "cat README.md" })).stdout).toBe("# fixture\n");
  });

  it("refuses a cwd that is missing or not a directory", async () => {
    const sandbox = await create(provider({ bubblewrap: false }));
    await expect(sandbox.exec({ command: "pwd", cwd: "nope" })).rejects.toMatchObject({
      reason: "not-found",
    });
    await expect(sandbox.exec({ command: "pwd", cwd: "README.md" })).rejects.toMatchObject({
      reason: "not-a-directory",
    });
  });

  it("never moves a task branch someone else moved meanwhile", async () => {
    const sandbox = await create(provider({ bubblewrap: false }));
    repo.git("branch", "--force", sandbox.branch, repo.next);
    await sandbox.writeFile("x.txt", "x");
    await expect(sandbox.commit({ message: "x", author })).rejects.toMatchObject({ reason: "commit-failed" });
    expect(repo.git("rev-parse", sandbox.branch)).toBe(repo.next);
  });

  it("commits with git pointed at the real metadata even when the workspace's .git file was rewritten", async () => {
    const target = provider({ warmPoolSize: 1, bubblewrap: false });
    const sandbox = await create(target);
    const pwned = join(root, `pwned-${sandbox.id}`);
    await sandbox.exec({
      command: [
        "mkdir -p evil/objects evil/refs/heads",
        `printf '[core]\\n\\trepositoryformatversion = 0\\n\\tfsmonitor = touch ${pwned}; false\\n' > evil/config`,
        "echo 'ref: refs/heads/main' > evil/HEAD",
        "echo 'gitdir: evil' > .git",
      ].join(" && "),
    });
    await sandbox.writeFile("feature.txt", "feature\n");
    const sha = await sandbox.commit({ message: "feature", author });
    expect(repo.git("show", `${sha}:feature.txt`)).toBe("feature");
    expect(existsSync(pwned)).toBe(false);
    const workdir = sandbox.workdir;
    await sandbox.destroy();
    const next = await create(target);
    expect(next.workdir).toBe(workdir);
    expect((await next.exec({ command: "git rev-parse HEAD && git status --porcelain" })).stdout).toBe(
      `${repo.base}\n`,
    );
  });

  it("cleans the worktree and processes of an orchestrator that was killed", async () => {
    const dist = new URL("../dist/index.js", import.meta.url).pathname;
    const script = `
      import { WorktreeSandboxProvider, defaultSandboxLimits } from ${JSON.stringify(dist)};
      const provider = new WorktreeSandboxProvider({ root: ${JSON.stringify(root)}, bubblewrap: false });
      const sandbox = await provider.create({ repoPath: ${JSON.stringify(repo.path)}, baseCommit: ${JSON.stringify(repo.base)},
        runId: "rcrash", taskId: "t1", branch: "longshot/rcrash/t1", limits: defaultSandboxLimits });
      void sandbox.exec({ command: "setsid sleep 7777.25 & sleep 7777.5" });
      setTimeout(() => console.log(JSON.stringify({ id: sandbox.id, workdir: sandbox.workdir })), 300);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const line = await new Promise<string>((resolve) =>
      child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString())),
    );
    const crashed = JSON.parse(line) as { id: string; workdir: string };
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(existsSync(crashed.workdir)).toBe(true);
    const removed = await provider({ bubblewrap: false }).cleanOrphans([]);
    expect(removed).toContain(crashed.id);
    expect(existsSync(crashed.workdir)).toBe(false);
    expect(repo.git("worktree", "list", "--porcelain")).not.toContain(crashed.workdir);
    expect(execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })).not.toContain("sleep 7777");
  });

  for (const bubblewrap of [true, false]) {
    it(`leaves no sandbox process running once its orchestrator is killed (${bubblewrap ? "bubblewrap" : "unwrapped"})`, async () => {
      const dist = new URL("../dist/index.js", import.meta.url).pathname;
      const tag = bubblewrap ? "8181" : "8282";
      const script = `
        import { WorktreeSandboxProvider, defaultSandboxLimits } from ${JSON.stringify(dist)};
        const provider = new WorktreeSandboxProvider({ root: ${JSON.stringify(root)}, bubblewrap: ${bubblewrap} });
        const sandbox = await provider.create({ repoPath: ${JSON.stringify(repo.path)}, baseCommit: ${JSON.stringify(repo.base)},
          runId: "rkill", taskId: "t${tag}", branch: "longshot/rkill/t${tag}", limits: defaultSandboxLimits });
        void sandbox.exec({ command: "setsid sleep ${tag}.25 & nohup sleep ${tag}.5 >/dev/null 2>&1 & sleep ${tag}.75" });
        setTimeout(() => console.log("running"), 1500);
      `;
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      const sleeping = (): string[] =>
        execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
          .split("\n")
          .filter((line) => line.startsWith(`sleep ${tag}`));
      expect(sleeping()).toHaveLength(3);
      child.kill("SIGKILL");
      for (let tries = 0; tries < 100 && sleeping().length > 0; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(sleeping()).toEqual([]);
      await provider({ bubblewrap: false }).cleanOrphans([]);
    });
  }
});
