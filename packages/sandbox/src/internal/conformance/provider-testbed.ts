import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { defaultSandboxLimits } from "../../limits.js";
import type { Sandbox, SandboxLimits, SandboxProvider } from "../../sandbox.js";

/** A temporary git repository of a provider's own tests. */
export interface TestRepo {
  readonly path: string;
  /** Its one commit. */
  readonly base: string;
  /** Runs git in it (a fixed identity, no user configuration) and returns trimmed stdout. */
  git(...args: string[]): string;
}

/** Runs git in `path` with a fixed identity and no user configuration; returns trimmed stdout. */
export function testGit(path: string): (...args: string[]) => string {
  return (...args: string[]) =>
    execFileSync("git", args, {
      cwd: path,
      encoding: "utf8",
      env: {
        PATH: "/usr/local/bin:/usr/bin:/bin",
        HOME: path,
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_AUTHOR_NAME: "T",
        GIT_AUTHOR_EMAIL: "t@e",
        GIT_COMMITTER_NAME: "T",
        GIT_COMMITTER_EMAIL: "t@e",
      },
    }).trim();
}

/** Writes each file (a path relative to `root` and its text), creating directories. */
export function writeFiles(root: string, files: Readonly<Record<string, string>>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  }
}

/** Makes `path` a repository on `main` with one commit, "base", holding `files`. */
export function initTestRepo(path: string, files: Readonly<Record<string, string>>): TestRepo {
  const git = testGit(path);
  git("init", "--quiet", "--initial-branch=main");
  writeFiles(path, files);
  git("add", "--all");
  git("commit", "--quiet", "--message", "base");
  return { path, base: git("rev-parse", "HEAD"), git };
}

/** Temporary directories, repositories and sandboxes of one provider's test file. */
export interface ProviderTestbed {
  /** A fresh temporary directory, removed by `cleanup`. */
  temp(prefix: string): string;
  /** A fresh repository holding README.md ("# repo") and src/a.ts, removed by `cleanup`. */
  makeRepo(): TestRepo;
  /** Creates a sandbox for the next task (`t0001`, `t0002`, …) of the run, at the repository's base. */
  create(
    provider: SandboxProvider,
    repo: { readonly path: string; readonly base: string },
    limits?: Partial<SandboxLimits>,
    env?: Record<string, string>,
  ): Promise<Sandbox>;
  /**
   * The egress allow-list of a cloud provider over an offline fake: `service` lets 127.0.0.1
   * through to one listener (the "gateway"), and another listener stands for everything else.
   * Expects a sandbox made by `make(["127.0.0.1"])` without network to reach the gateway and
   * nothing else, one of the same provider with the network to reach both, and one made by
   * `make()` without network to reach neither. The three create requests are the service's, in
   * that order, for the caller to check.
   */
  expectEgressAllowList(
    service: { reach(host: string, port: number): void },
    make: (egressAllow?: readonly string[]) => SandboxProvider,
  ): Promise<void>;
  /** Destroys every sandbox `create` made so far (call it after each test, before `cleanup`). */
  destroySandboxes(): Promise<void>;
  /** Removes every directory made so far (call it after each test). */
  cleanup(): void;
}

/** A TCP listener on 127.0.0.1 answering "open" to every connection, closed by `cleanups`; its port. */
async function listenOnce(cleanups: (() => void)[]): Promise<number> {
  const server = createServer((socket) => socket.end("open\n"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

/** Whether a command inside `sandbox` can open a TCP connection to 127.0.0.1:`port`. */
async function canConnect(sandbox: Sandbox, port: number): Promise<boolean> {
  const probe = await sandbox.exec({
    command: `(exec 3<>/dev/tcp/127.0.0.1/${port} && head -n 1 <&3) 2>/dev/null || echo closed`,
    timeoutMs: 30_000,
  });
  return probe.stdout.trim() === "open";
}

/** A testbed whose directories start with `longshot-<name>-` and whose sandboxes belong to run `r<name>`. */
export function providerTestbed(name: string): ProviderTestbed {
  const cleanups: Array<() => void> = [];
  const sandboxes: Sandbox[] = [];
  let sequence = 0;
  const temp = (prefix: string): string => {
    const path = mkdtempSync(join(tmpdir(), prefix));
    cleanups.push(() => rmSync(path, { recursive: true, force: true }));
    return path;
  };
  const testbed: ProviderTestbed = {
    temp,
    makeRepo: () =>
      initTestRepo(temp(`longshot-${name}-repo-`), {
        "README.md": "# repo\n",
        "src/a.ts": "export const a = 1;\n",
      }),
    create: async (provider, repo, limits = {}, env) => {
      sequence += 1;
      const taskId = `t${String(sequence).padStart(4, "0")}`;
      const sandbox = await provider.create({
        repoPath: repo.path,
        baseCommit: repo.base,
        runId: `r${name}`,
        taskId,
        branch: `longshot/r${name}/${taskId}`,
        limits: { ...defaultSandboxLimits, ...limits },
        ...(env === undefined ? {} : { env }),
      });
      sandboxes.push(sandbox);
      return sandbox;
    },
    expectEgressAllowList: async (service, make) => {
      const gateway = await listenOnce(cleanups);
      const elsewhere = await listenOnce(cleanups);
      service.reach("127.0.0.1", gateway);
      const reach = async (sandbox: Sandbox) => ({
        gateway: await canConnect(sandbox, gateway),
        elsewhere: await canConnect(sandbox, elsewhere),
      });
      const allowing = make(["127.0.0.1"]);
      const repo = testbed.makeRepo();
      expect({
        allowListed: await reach(await testbed.create(allowing, repo, { network: false })),
        open: await reach(await testbed.create(allowing, repo, { network: true })),
        closed: await reach(await testbed.create(make(), repo, { network: false })),
      }).toEqual({
        allowListed: { gateway: true, elsewhere: false },
        open: { gateway: true, elsewhere: true },
        closed: { gateway: false, elsewhere: false },
      });
    },
    destroySandboxes: async () => {
      await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.destroy()));
    },
    cleanup: () => {
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
  return testbed;
}
