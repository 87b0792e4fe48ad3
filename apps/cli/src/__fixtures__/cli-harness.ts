import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSampleRepo, sampleModules } from "@longshot/testkit";
import { afterAll, beforeAll } from "vitest";

/** The bundled CLI, as it is published (apps/cli/release, built by `pnpm build`). */
export const cliPath = fileURLToPath(new URL("../../release/dist/main.js", import.meta.url));
const fakeLlmPath = fileURLToPath(new URL("../../../../packages/testkit/dist/bin/fake-llm.js", import.meta.url));
const policyPath = fileURLToPath(new URL("./swarm-policy.mjs", import.meta.url));

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Running {
  readonly child: ChildProcess;
  readonly done: Promise<Finished>;
  /** Resolves with the first stdout line (NDJSON event) matching, or rejects when the process ends first. */
  waitForLine(predicate: (line: string) => boolean): Promise<string>;
  /** The same for stderr (the readable lines without a terminal). */
  waitForErrLine(predicate: (line: string) => boolean): Promise<string>;
}

type Waiter = { predicate: (line: string) => boolean; resolve: (line: string) => void; reject: (error: Error) => void };

/** Splits a stream into lines and hands each to the waiters whose predicate it matches. */
function lineWatcher(waiters: Waiter[]): (chunk: string) => void {
  let pending = "";
  return (chunk) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      for (const waiter of [...waiters]) {
        if (waiter.predicate(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  };
}

/** A clean environment for the CLI: nothing of the developer's leaks into it. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? tmpdir(), LANG: "C.UTF-8", NO_COLOR: "1", ...extra };
}

export function startCli(args: readonly string[], env: Record<string, string>, cwd = tmpdir()): Running {
  const child = spawn(process.execPath, [cliPath, ...args], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: Waiter[] = [];
  const errWaiters: Waiter[] = [];
  const watchOut = lineWatcher(waiters);
  const watchErr = lineWatcher(errWaiters);
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    watchOut(chunk.toString());
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    watchErr(chunk.toString());
  });
  const done = new Promise<Finished>((resolve) => {
    child.on("close", (code, signal) => {
      for (const waiter of [...waiters, ...errWaiters])
        waiter.reject(new Error(`longshot ended (${code ?? signal}) first:\n${stderr.slice(-2000)}`));
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    done,
    waitForLine: (predicate) => new Promise((resolve, reject) => waiters.push({ predicate, resolve, reject })),
    waitForErrLine: (predicate) =>
      new Promise((resolve, reject) => errWaiters.push({ predicate, resolve, reject })),
  };
}

export async function runCli(args: readonly string[], env: Record<string, string>, cwd?: string): Promise<Finished> {
  return startCli(args, env, cwd).done;
}

export interface FakeServerProcess {
  readonly url: string;
  stop(): Promise<void>;
}

/** A policy module whose every chat call fails with HTTP 503 (the models list still answers). */
export const failingPolicyPath = fileURLToPath(new URL("./failing-policy.mjs", import.meta.url));

/**
 * The fake model server playing `modules` modules of the sample library (plus `env`), and a
 * sample repository of as many modules for it to build.
 */
export async function startSwarm(
  modules: number,
  env: Record<string, string> = {},
  policy?: string,
): Promise<{ readonly server: FakeServerProcess; readonly repo: SampleRepo }> {
  const server = await startFakeServer({ SWARM_MODULES: String(modules), ...env }, policy);
  return { server, repo: sampleRepo(modules) };
}

/** The fake model server as its own process, playing the sample-library swarm (or `policy`). */
export async function startFakeServer(
  env: Record<string, string> = {},
  policy = policyPath,
): Promise<FakeServerProcess> {
  const child = spawn(process.execPath, [fakeLlmPath, "--policy", policy, "--port", "0"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split("\n").find((entry) => entry.startsWith("http"));
      if (line) resolve(line.trim());
    });
    child.on("close", (code) => reject(new Error(`fake server exited ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.on("close", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export interface SampleRepo {
  readonly dir: string;
  readonly repo: string;
  git(...args: string[]): string;
  cleanup(): void;
}

export function sampleRepo(modules: number): SampleRepo {
  const dir = mkdtempSync(join(tmpdir(), "longshot-cli-"));
  const repo = join(dir, "repo");
  createSampleRepo(repo, sampleModules.slice(0, modules));
  return {
    dir,
    repo,
    git: (...args) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim(),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Fresh sample repositories of `modules` modules for one test file: each call makes one, and
 * all are removed after the file's tests.
 */
export function freshSampleRepos(modules: number): () => SampleRepo {
  const repos: SampleRepo[] = [];
  afterAll(() => {
    for (const repo of repos.splice(0)) repo.cleanup();
  });
  return () => {
    const repo = sampleRepo(modules);
    repos.push(repo);
    return repo;
  };
}

/** Settings for a run against the fake server. */
export function runEnv(url: string, extra: Record<string, string> = {}): Record<string, string> {
  return baseEnv({
    LLM_BASE_URL: url,
    LLM_API_KEY: "sk-cli-test-0123456789",
    LLM_MODEL: "fake-model",
    MAX_WORKERS: "4",
    BUILD_COMMAND: "node scripts/build.mjs",
    TEST_COMMAND: "node --test",
    HEALTH_CHECK_INTERVAL: "2",
    ...extra,
  });
}

/** The fake model server and the sample repositories of one test file. */
export interface CliSuite {
  /** The fake model server's URL (once the file's tests have started). */
  readonly url: string;
  /** Run settings against the fake server, with `extra` on top. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** The file's shared sample repository of `modules` modules, made on first use. */
  readonly repo: SampleRepo;
  /** A sample repository of its own for one test. */
  fresh(modules?: number): SampleRepo;
}

/**
 * Starts the fake model server (playing `modules` modules of the sample library, plus `env`)
 * before the file's tests and stops it after them, removing every repository it handed out.
 */
export function cliSuite(modules: number, env: Record<string, string> = {}, policy?: string): CliSuite {
  let server: FakeServerProcess | null = null;
  let shared: SampleRepo | null = null;
  const repos: SampleRepo[] = [];
  beforeAll(async () => {
    server = await startFakeServer({ SWARM_MODULES: String(modules), ...env }, policy);
  });
  afterAll(async () => {
    await server?.stop();
    for (const repo of repos) repo.cleanup();
  });
  const fresh = (count = modules): SampleRepo => {
    const repo = sampleRepo(count);
    repos.push(repo);
    return repo;
  };
  return {
    get url() {
      if (server === null) throw new Error("the fake model server starts with the file's tests");
      return server.url;
    },
    env(extra = {}) {
      return runEnv(this.url, extra);
    },
    get repo() {
      shared ??= fresh();
      return shared;
    },
    fresh,
  };
}

/**
 * What a refused start must leave as it was: refs, the working tree, its worktrees and
 * longshot's state in the repository.
 */
export function footprint(repo: SampleRepo): string {
  return [
    repo.git("for-each-ref"),
    repo.git("status", "--porcelain"),
    repo.git("worktree", "list"),
    String(existsSync(join(repo.repo, ".git", "longshot"))),
  ].join("\n");
}
