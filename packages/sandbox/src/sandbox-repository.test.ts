import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AbortError } from "@longshot/core";
import { type GitRunRequest, ProcessGitRunner } from "@longshot/git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerTestbed, testGit } from "./internal/conformance/provider-testbed.js";
import { RepositorySandboxProvider } from "./repository-sandbox-provider.js";
import type { Sandbox } from "./sandbox.js";
import { SandboxRepository } from "./sandbox-repository.js";
import { WorktreeSandboxProvider } from "./worktree-sandbox-provider.js";

// The held-out tests are in the user's history (the base commit) but not in the run's start
// commit. Every route a command could take to their content must come back empty.
const secret = "HIDDEN-ACCEPTANCE-5c1d9e";
let dir: string;
let user: string;
let base: string;
let start: string;
let repository: SandboxRepository;
let provider: RepositorySandboxProvider;
const testbed = providerTestbed("repo");
let git: (...args: string[]) => string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "longshot-sandbox-repo-"));
  user = join(dir, "user");
  mkdirSync(join(user, "tests", "acceptance"), { recursive: true });
  git = testGit(user);
  git("init", "--quiet", "--initial-branch=main");
  git("config", "http.extraHeader", `Authorization: Bearer ${secret}-credential`);
  writeFileSync(join(user, "README.md"), "# app\n");
  writeFileSync(join(user, "tests", "acceptance", "spec.test.js"), `// ${secret}\nassert(app() === 42);\n`);
  git("add", "--all");
  git("commit", "--quiet", "--message", "app with acceptance tests");
  git("branch", "other-feature");
  base = git("rev-parse", "HEAD");
  git("rm", "--quiet", "-r", "tests");
  git("commit", "--quiet", "--message", "hold out the acceptance tests");
  start = git("rev-parse", "HEAD");
  git("checkout", "--quiet", base);
  repository = await SandboxRepository.open({
    source: user,
    path: join(dir, "sandboxes.git"),
    root: start,
    withhold: ["tests/acceptance"],
  });
  const root = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "longshot-sandbox-repo-"));
  provider = new RepositorySandboxProvider(
    new WorktreeSandboxProvider({ root, hiddenPaths: [user] }),
    repository,
  );
});

afterAll(async () => {
  await testbed.destroySandboxes();
  await provider.close();
  rmSync(dir, { recursive: true, force: true });
});

function create(baseCommit = start): Promise<Sandbox> {
  return testbed.create(provider, { path: user, base: baseCommit });
}

describe("the sandboxes' repository", () => {
  it("keeps the held-out tests out of reach by every route: objects, history, refs, packs, the checkout, file tools", async () => {
    const sandbox = await create();
    const common = repository.path;
    const routes = [
      `git show ${base}:tests/acceptance/spec.test.js`,
      "git show HEAD~1:tests/acceptance/spec.test.js",
      "git log -p --all",
      "git grep -e . $(git rev-list --all)",
      "git cat-file --batch-all-objects --batch",
      "git for-each-ref; git show other-feature:tests/acceptance/spec.test.js",
      `git fetch ${user} ${base} && git show FETCH_HEAD:tests/acceptance/spec.test.js`,
      `cat ${common}/objects/pack/* ${common}/objects/*/* 2>/dev/null | git unpack-objects -n 2>&1; find ${common} -type f -exec cat {} +`,
      `cat ${join(user, "tests", "acceptance", "spec.test.js")}`,
      `find ${user} -type f -exec cat {} +`,
      `cat ${join(user, ".git", "config")}`,
      "cat /proc/*/environ",
    ];
    const leaked: string[] = [];
    for (const command of routes) {
      const result = await sandbox.exec({ command, maxOutputBytes: 50_000_000 });
      if (`${result.stdout}${result.stderr}`.includes(secret)) leaked.push(command);
    }
    expect(leaked).toEqual([]);
    await expect(sandbox.readFile(join(user, "tests", "acceptance", "spec.test.js"))).rejects.toMatchObject({
      reason: "path-escape",
    });
    const search = await sandbox.search(secret, { literal: true });
    expect(search.matches).toEqual([]);
    // The workspace's git still works: history from the start on, the task's own files.
    const log = await sandbox.exec({ command: "git log --format=%s" });
    expect(log.stdout).toBe("hold out the acceptance tests\n");
  });

  it("refuses a base that is older than the run's start or holds the held-out path", async () => {
    await expect(create(base)).rejects.toThrow(/does not descend from the run's start/);
    git("checkout", "--quiet", start);
    git("checkout", "--quiet", base, "--", "tests");
    git("commit", "--quiet", "--message", "tests back");
    const restored = git("rev-parse", "HEAD");
    git("checkout", "--quiet", base);
    await expect(create(restored)).rejects.toThrow(/held-out files \(tests\/acceptance\/spec\.test\.js\)/);
    expect(await repository.has(restored)).toBe(false);
  });

  it("admits the commits asked for together in one fetch, refusing only those that may not enter", async () => {
    // Commits of a run's integration branch, as a swarm asks for them: several heads at once.
    const heads = [1, 2, 3, 4].map((n) =>
      git("commit-tree", `${start}^{tree}`, "-p", start, "-m", `landing ${n}`),
    );
    const fetches: string[][] = [];
    const plain = new ProcessGitRunner({
      environment: { PATH: "/usr/local/bin:/usr/bin:/bin", LANG: "C.UTF-8" },
    });
    const counted = await SandboxRepository.open({
      source: user,
      path: join(dir, "batched.git"),
      root: start,
      withhold: ["tests/acceptance"],
      runner: {
        run: (request: GitRunRequest) => {
          if (request.args.includes("fetch")) fetches.push([...request.args]);
          return plain.run(request);
        },
      },
    });
    fetches.length = 0;
    const gaveUp = new AbortController();
    const outcomes = await Promise.allSettled([
      ...heads.map((head) => counted.admit(head)),
      counted.admit(heads[0]!, gaveUp.signal),
      counted.admit(heads[1]!),
      counted.admit(base),
      counted.admit(start),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    expect(String((outcomes[6] as PromiseRejectedResult).reason)).toMatch(
      /does not descend from the run's start/,
    );
    // One fetch for the four new heads (the start was there already, the older base refused).
    expect(fetches).toHaveLength(1);
    for (const head of heads) expect(await counted.has(head)).toBe(true);
    expect(await counted.has(base)).toBe(false);
    // A waiter that gives up gets an AbortError; the round goes on for the others.
    const later = git("commit-tree", `${start}^{tree}`, "-p", heads[3]!, "-m", "landing 5");
    const aborted = new AbortController();
    const leaving = counted.admit(later, aborted.signal);
    const staying = counted.admit(later);
    aborted.abort();
    await expect(leaving).rejects.toBeInstanceOf(AbortError);
    await staying;
    expect(await counted.has(later)).toBe(true);
    // Known commits need no git at all.
    fetches.length = 0;
    await Promise.all(heads.map((head) => counted.admit(head)));
    expect(fetches).toEqual([]);
  });

  it("delivers the commits of sandboxes that commit at once, each on its own branch, and fails only a branch that is not there", async () => {
    const made = await Promise.all([create(), create(), create()]);
    const shas = await Promise.all(
      made.map(async (sandbox, index) => {
        await sandbox.writeFile(`src/part-${index}.js`, `export const part = ${index};\n`);
        return sandbox.commit({ message: `part ${index}`, author: { name: "A", email: "a@example.com" } });
      }),
    );
    for (const [index, sandbox] of made.entries()) {
      expect(git("rev-parse", `refs/heads/${sandbox.branch}`)).toBe(shas[index]);
      expect(git("show", `${shas[index]}:src/part-${index}.js`)).toBe(`export const part = ${index};`);
    }
    const outcomes = await Promise.allSettled([
      repository.deliver(made[0]!.branch),
      repository.deliver("longshot/rrepo/never-made"),
      repository.deliver(made[1]!.branch),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ reason: "export-failed" });
  });

  it("delivers each commit to the user's repository on the task branch, and admits later integration commits", async () => {
    const sandbox = await create();
    await sandbox.writeFile("src/app.js", "export const app = () => 42;\n");
    const sha = await sandbox.commit({ message: "app", author: { name: "A", email: "a@example.com" } });
    expect(git("rev-parse", `refs/heads/${sandbox.branch}`)).toBe(sha);
    expect(git("show", `${sha}:src/app.js`)).toBe("export const app = () => 42;");
    const next = await create(sha!);
    expect((await next.exec({ command: "cat src/app.js" })).stdout).toBe("export const app = () => 42;\n");
  });
});
