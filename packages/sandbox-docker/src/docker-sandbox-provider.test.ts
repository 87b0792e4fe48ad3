import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  defaultSandboxLimits,
  RepositorySandboxProvider,
  type SandboxLimits,
  SandboxRepository,
} from "@longshot/sandbox";
import { initTestRepo, type TestRepo } from "@longshot/sandbox/conformance";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { dockerUnavailable, testDocker, testImage, testScope } from "./__fixtures__/engine.js";
import { DockerSandboxProvider } from "./docker-sandbox-provider.js";

const unavailable = dockerUnavailable();

function makeRepo(): TestRepo {
  return initTestRepo(mkdtempSync(join(tmpdir(), "longshot-docker-repo-")), { "README.md": "# repo\n" });
}

describe("DockerSandboxProvider without an engine", () => {
  it("fails to create with a sentence that says how to fix it, leaving no worktree", async () => {
    const repo = makeRepo();
    const workspaceRoot = mkdtempSync(join(tmpdir(), "longshot-docker-root-"));
    try {
      const provider = new DockerSandboxProvider({
        docker: { socketPath: join(workspaceRoot, "no-engine.sock") },
        workspaceRoot,
      });
      await expect(
        provider.create({
          repoPath: repo.path,
          baseCommit: repo.base,
          runId: "r1",
          taskId: "t0001",
          branch: "longshot/r1/t0001",
          limits: defaultSandboxLimits,
        }),
      ).rejects.toMatchObject({
        reason: "create-failed",
        message: expect.stringMatching(/Cannot reach the Docker engine.*start dockerd or set DOCKER_HOST/),
      });
      expect(readdirSync(workspaceRoot)).toEqual([]);
    } finally {
      rmSync(repo.path, { recursive: true, force: true });
      rmSync(workspaceRoot, { recursive: true, force: true });
    }
  });
});

describe.skipIf(unavailable !== "")(
  `DockerSandboxProvider on a real engine${unavailable ? ` (SKIPPED: ${unavailable})` : ""}`,
  () => {
    const docker = testDocker();
    const scope = testScope();
    let repo: TestRepo;
    let workspaceRoot: string;
    let provider: DockerSandboxProvider;
    let sequence = 0;

    beforeAll(() => {
      repo = makeRepo();
      workspaceRoot = mkdtempSync(join(tmpdir(), "longshot-docker-root-"));
      provider = new DockerSandboxProvider({ docker, workspaceRoot, scope, pidsLimit: 200 });
    });

    afterEach(async () => {
      await provider.cleanOrphans([]);
    });

    afterAll(() => {
      rmSync(repo.path, { recursive: true, force: true });
      rmSync(workspaceRoot, { recursive: true, force: true });
    });

    const create = (limits: Partial<SandboxLimits> = {}, target = provider) => {
      sequence += 1;
      const taskId = `t${String(sequence).padStart(4, "0")}`;
      return target.create({
        repoPath: repo.path,
        baseCommit: repo.base,
        runId: "rdocker",
        taskId,
        branch: `longshot/rdocker/${taskId}-${scope}`,
        limits: { ...defaultSandboxLimits, ...limits },
      });
    };

    const containerOf = async (sandboxId: string) => {
      const [info] = await docker.listContainers({
        all: true,
        filters: { label: [`longshot.sandbox=${sandboxId}`] },
      });
      return info === undefined ? undefined : docker.getContainer(info.Id).inspect();
    };

    for (const delivery of ["worktree", "bundle"] as const) {
      it(`sees only the run's sandboxes' repository (${delivery} delivery): no older history, no held-out file, no user config`, async () => {
        const secret = "HELD-OUT-DOCKER-3e9f";
        const git = repo.git;
        git("config", "http.extraHeader", `Authorization: Bearer ${secret}`);
        mkdirSync(join(repo.path, "acceptance"), { recursive: true });
        writeFileSync(join(repo.path, "acceptance", "spec.txt"), secret);
        git("add", "--all");
        git("commit", "--quiet", "--message", "held-out tests");
        git("rm", "--quiet", "-r", "acceptance");
        git("commit", "--quiet", "--message", "start");
        const start = git("rev-parse", "HEAD");
        const mirrorDir = mkdtempSync(
          join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "longshot-docker-mirror-"),
        );
        try {
          const repository = await SandboxRepository.open({
            source: repo.path,
            path: join(mirrorDir, "run.git"),
            root: start,
            withhold: ["acceptance"],
          });
          const inner = new DockerSandboxProvider({ docker, workspaceRoot, scope, delivery });
          const contained = new RepositorySandboxProvider(inner, repository);
          sequence += 1;
          const sandbox = await contained.create({
            repoPath: repo.path,
            baseCommit: start,
            runId: "rdocker",
            taskId: `t${sequence}`,
            branch: `longshot/rdocker/t${sequence}-${scope}`,
            limits: defaultSandboxLimits,
          });
          const probe = await sandbox.exec({
            command: `git log --format=%s; git log -p --all | grep -c ${secret}; git cat-file --batch-all-objects --batch | grep -c ${secret}; cat $(git rev-parse --git-common-dir)/config 2>/dev/null | grep -c ${secret}; git show HEAD~1:acceptance/spec.txt`,
          });
          expect(probe.stdout).toBe("start\n0\n0\n0\n");
          expect(probe.stdout + probe.stderr).not.toContain(secret);
          await sandbox.writeFile("work.txt", "done\n");
          const sha = await sandbox.commit({ message: "work", author: { name: "A", email: "a@e" } });
          expect(git("rev-parse", `refs/heads/${sandbox.branch}`)).toBe(sha);
          await sandbox.destroy();
        } finally {
          rmSync(mirrorDir, { recursive: true, force: true });
        }
      });
    }

    it("applies CPU, memory and PID limits, drops every capability and has no network", async () => {
      const sandbox = await create({ cpuCores: 1.5, memoryMb: 300, network: false });
      const info = await containerOf(sandbox.id);
      expect(info?.Config.Image).toBe(testImage);
      expect(info?.HostConfig.NanoCpus).toBe(1_500_000_000);
      expect(info?.HostConfig.Memory).toBe(300 * 1024 * 1024);
      expect(info?.HostConfig.MemorySwap).toBe(300 * 1024 * 1024);
      expect(info?.HostConfig.PidsLimit).toBe(200);
      expect(info?.HostConfig.NetworkMode).toBe("none");
      expect(info?.HostConfig.CapDrop).toEqual(["ALL"]);
      expect(info?.HostConfig.SecurityOpt).toContain("no-new-privileges");
      expect(info?.Config.Labels).toMatchObject({
        "longshot.sandbox": sandbox.id,
        "longshot.run": "rdocker",
        "longshot.scope": scope,
      });
      const inside = await sandbox.exec({
        command: "grep -E '^(CapEff|NoNewPrivs)' /proc/self/status; ls /sys/class/net",
      });
      expect(inside.stdout).toBe("CapEff:\t0000000000000000\nNoNewPrivs:\t1\nlo\n");
    });

    it("reaches a unix socket bound into the container (the model gateway's) and nothing else", async () => {
      const dir = mkdtempSync(
        join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "longshot-docker-socket-"),
      );
      const socketPath = join(dir, "gateway.sock");
      const server = createServer((socket) => socket.end("hello through the socket\n"));
      await new Promise<void>((resolve) => server.listen(socketPath, resolve));
      chmodSync(socketPath, 0o666);
      const withSocket = new DockerSandboxProvider({
        docker,
        workspaceRoot,
        scope,
        pidsLimit: 200,
        sockets: [{ host: socketPath, inside: socketPath }],
      });
      try {
        const sandbox = await create({ network: false }, withSocket);
        const connect = (target: string) =>
          `node -e 'const s=require("net").connect(${target});s.on("data",d=>process.stdout.write(d));s.on("error",e=>console.log(e.code))'`;
        expect((await sandbox.exec({ command: connect(JSON.stringify(socketPath)) })).stdout).toBe(
          "hello through the socket\n",
        );
        expect((await sandbox.exec({ command: connect('443,"1.1.1.1"') })).stdout.trim()).toBe("ENETUNREACH");
        await sandbox.destroy();
      } finally {
        server.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("kills a command that exceeds the memory limit, and caps processes in the cgroup", async () => {
      const sandbox = await create({ memoryMb: 96 });
      const hog = await sandbox.exec({
        argv: ["node", "-e", "const b = []; for (;;) b.push(Buffer.alloc(16 * 1024 * 1024, 1));"],
        timeoutMs: 60_000,
      });
      expect(hog.exitCode).toBe(137);
      expect(hog.timedOut).toBe(false);
      const pids = await sandbox.exec({
        command: "cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max",
      });
      expect(pids.stdout).toBe("200\n");
    });

    it("clamps a CPU limit above the engine's cores to what it has", async () => {
      const cores = (await docker.info()).NCPU as number;
      const sandbox = await create({ cpuCores: cores + 62 });
      expect((await containerOf(sandbox.id))?.HostConfig.NanoCpus).toBe(cores * 1_000_000_000);
    });

    it("joins a network only when the limits ask for it", async () => {
      const sandbox = await create({ network: true });
      expect((await containerOf(sandbox.id))?.HostConfig.NetworkMode).toBe("bridge");
      const interfaces = await sandbox.exec({ command: "ls /sys/class/net | sort" });
      expect(interfaces.stdout).toBe("eth0\nlo\n");
    });

    it("removes the container and the worktree on destroy, keeping the branch", async () => {
      const sandbox = await create();
      await sandbox.writeFile("work.txt", "done\n");
      await sandbox.commit({ message: "work", author: { name: "A", email: "a@example.com" } });
      await sandbox.destroy();
      expect(await containerOf(sandbox.id)).toBeUndefined();
      expect(existsSync(sandbox.workdir)).toBe(false);
      const worktrees = execFileSync("git", ["worktree", "list", "--porcelain"], {
        cwd: repo.path,
        encoding: "utf8",
      });
      expect(worktrees).not.toContain(sandbox.id);
      const file = execFileSync("git", ["show", `refs/heads/${sandbox.branch}:work.txt`], {
        cwd: repo.path,
        encoding: "utf8",
      });
      expect(file).toBe("done\n");
    });

    it("reaps orphans by label within its scope only, including a stray worktree directory", async () => {
      const crashed = new DockerSandboxProvider({ docker, workspaceRoot, scope });
      const orphan = await create({}, crashed);
      const survivor = await create({}, crashed);
      const otherRoot = mkdtempSync(join(tmpdir(), "longshot-docker-other-"));
      const otherScope = new DockerSandboxProvider({ docker, workspaceRoot: otherRoot, scope: testScope() });
      const stranger = await create({}, otherScope);
      mkdirSync(join(workspaceRoot, "stray-directory"));
      try {
        const removed = await provider.cleanOrphans([survivor.id]);
        expect([...removed].sort()).toEqual([orphan.id, "stray-directory"].sort());
        expect(await containerOf(orphan.id)).toBeUndefined();
        expect(existsSync(orphan.workdir)).toBe(false);
        expect((await containerOf(survivor.id))?.State.Running).toBe(true);
        expect((await containerOf(stranger.id))?.State.Running).toBe(true);
        expect((await survivor.exec({ command: "echo alive" })).stdout).toBe("alive\n");
      } finally {
        await stranger.destroy();
        await survivor.destroy();
        rmSync(otherRoot, { recursive: true, force: true });
      }
    });

    it("says how to build the image when it is missing", async () => {
      const missing = new DockerSandboxProvider({
        docker,
        workspaceRoot,
        scope,
        image: "longshot-no-such-image:never",
      });
      await expect(create({}, missing)).rejects.toMatchObject({
        reason: "create-failed",
        message: expect.stringContaining("scripts/build-worker-image.sh"),
      });
      expect(readdirSync(workspaceRoot)).toEqual([]);
    });
  },
);
