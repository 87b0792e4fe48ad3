import { existsSync } from "node:fs";
import { join } from "node:path";
import { InternalError } from "@longshot/core";
import { Git, ProcessGitRunner } from "@longshot/git";
import { defaultSandboxLimits, type Sandbox, WorktreeSandboxProvider } from "@longshot/sandbox";
import { createTempRepo, type TempRepo, testIdentity } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Failure } from "./failure.js";
import { restoreHiddenTests, withoutHiddenTests } from "./hidden-commits.js";
import { acceptanceCommand, concealHidden, mentionsHidden, redactHidden } from "./hidden-tests.js";
import { holdOutHiddenTests } from "./hold-out.js";

const hiddenPath = "tests/acceptance";

describe("prompt filter", () => {
  it("drops every line that names the hidden path", () => {
    const listing = "src/a.ts\ntests/acceptance/api.test.js\ntests/unit.test.js\n./tests/acceptance\n";
    expect(redactHidden(listing, "tests/acceptance/")).toBe("src/a.ts\ntests/unit.test.js\n");
    expect(mentionsHidden(listing, hiddenPath)).toBe(true);
    expect(mentionsHidden(redactHidden(listing, hiddenPath), hiddenPath)).toBe(false);
  });

  it("turns an acceptance failure into a plain message, and strips the path from others", () => {
    const failure: Failure = {
      fingerprint: "acceptance:abc",
      check: "acceptance",
      command: "node --test 'tests/acceptance/**/*.{js,mjs,cjs}'",
      file: "tests/acceptance/api.test.js",
      test: "GET /sum returns 4",
      code: null,
      message: "expected 4",
      files: ["tests/acceptance/api.test.js", "src/sum.js"],
      cause: "AssertionError: expected 4",
      excerpt: "not ok 1 - GET /sum returns 4\n  location: 'tests/acceptance/api.test.js:3:1'",
    };
    const concealed = concealHidden(failure, hiddenPath);
    expect(JSON.stringify(concealed)).not.toMatch(/acceptance\/|GET \/sum|expected 4/);
    // The code under test its stack runs through stays, so the fix task has a scope.
    expect(concealed.files).toEqual(["src/sum.js"]);
    const build = concealHidden(
      {
        ...failure,
        check: "build",
        file: "src/a.js",
        excerpt: "src/a.js:1 error\ntests/acceptance/x.js:2 required here",
        files: ["src/a.js", "tests/acceptance/x.js"],
        cause: "required from tests/acceptance/x.js",
      },
      hiddenPath,
    );
    expect(build).toMatchObject({
      file: "src/a.js",
      excerpt: "src/a.js:1 error",
      files: ["src/a.js"],
      cause: null,
    });
  });

  it("picks a command for the hidden tests from what they are", () => {
    const none = new Map<string, string>();
    expect(acceptanceCommand(none, hiddenPath, ["tests/acceptance/test_api.py"])).toBe(
      "python -m pytest 'tests/acceptance'",
    );
    expect(acceptanceCommand(none, hiddenPath, ["tests/acceptance/api_test.go"])).toBe(
      "go test ./tests/acceptance/...",
    );
    expect(acceptanceCommand(none, hiddenPath, ["tests/acceptance/a.test.js"])).toBe(
      "node --test 'tests/acceptance/**/*.{js,mjs,cjs}'",
    );
    expect(acceptanceCommand(none, "spec.test.mjs", ["spec.test.mjs"])).toBe("node --test 'spec.test.mjs'");
    const vitest = new Map([
      ["package.json", '{"devDependencies":{"vitest":"4.1.0"}}'],
      ["pnpm-lock.yaml", ""],
    ]);
    expect(acceptanceCommand(vitest, hiddenPath, ["tests/acceptance/a.test.ts"])).toBe(
      "pnpm exec vitest run 'tests/acceptance'",
    );
  });
});

describe("held-out commits and sandboxes", () => {
  let repo: TempRepo;
  let git: Git;
  const runner = new ProcessGitRunner();
  let provider: WorktreeSandboxProvider;
  const sandboxes: Sandbox[] = [];

  beforeEach(async () => {
    repo = await createTempRepo({
      files: {
        "src/math.js": "export const add = (a, b) => a + b;\n",
        "tests/unit.test.js": "// unit\n",
        "tests/acceptance/api.test.js": "// secret expectations\n",
        "tests/acceptance/data/fixture.json": "{}\n",
      },
    });
    git = new Git(repo.path, { runner });
    provider = new WorktreeSandboxProvider({
      root: repo.tempPath("sandboxes"),
      bubblewrap: false,
      warmPoolSize: 0,
    });
  });

  afterEach(async () => {
    for (const sandbox of sandboxes.splice(0)) await sandbox.destroy();
    await provider.close();
    await repo.cleanup();
  });

  const options = () => ({ git, runner, path: `${hiddenPath}/`, identity: testIdentity });

  async function sandboxAt(baseCommit: string, taskId: string): Promise<Sandbox> {
    const sandbox = await provider.create({
      repoPath: repo.path,
      baseCommit,
      runId: "r1",
      taskId,
      branch: `longshot/r1/${taskId}`,
      limits: defaultSandboxLimits,
    });
    sandboxes.push(sandbox);
    return sandbox;
  }

  it("starts a held-out line of history that restores to the original tree", async () => {
    const heldOut = await withoutHiddenTests(repo.initial, options());
    expect(heldOut).not.toBe(repo.initial);
    expect(await git.listFiles(heldOut)).toEqual(["src/math.js", "tests/unit.test.js"]);
    expect(await withoutHiddenTests(heldOut, options())).toBe(heldOut);

    await repo.git(["checkout", "--quiet", "-b", "integration", heldOut]);
    const work = await repo.commit({ "src/mul.js": "export const mul = () => 0;\n" }, "task work");
    const restored = await restoreHiddenTests(work, repo.initial, options());
    expect(await git.listFiles(restored)).toEqual([
      "src/math.js",
      "src/mul.js",
      "tests/acceptance/api.test.js",
      "tests/acceptance/data/fixture.json",
      "tests/unit.test.js",
    ]);
    expect(await git.readFile(restored, "tests/acceptance/api.test.js")).toBe("// secret expectations\n");
    expect(await restoreHiddenTests(restored, repo.initial, options())).toBe(restored);
    expect(existsSync(join(repo.path, "tests/acceptance/api.test.js"))).toBe(false);
  });

  it("never shows the hidden path in a sandbox based on the held-out commit", async () => {
    const heldOut = await withoutHiddenTests(repo.initial, options());
    const sandbox = await sandboxAt(heldOut, "t0001");
    await holdOutHiddenTests(sandbox, hiddenPath);
    const everything = await sandbox.listFiles("", { recursive: true });
    const tests = await sandbox.listFiles("tests");
    const found = await sandbox.search("secret expectations");
    const shell = await sandbox.exec({ command: "find . -path ./.git -prune -o -print; git ls-files" });
    expect(everything.entries.map((entry) => entry.path)).toEqual(["src/math.js", "tests/unit.test.js"]);
    expect(tests.entries.map((entry) => entry.path)).toEqual(["tests/unit.test.js"]);
    expect(found.matches).toEqual([]);
    expect(shell.stdout).not.toContain("acceptance");
  });

  it("refuses to hand out a sandbox whose provider still lists removed hidden files", async () => {
    const sandbox = await sandboxAt(repo.initial, "t0002");
    const attempt = holdOutHiddenTests(sandbox, hiddenPath);
    await expect(attempt).rejects.toThrow(InternalError);
    await expect(attempt).rejects.toThrow(/still visible in sandbox/);
    const onDisk = await sandbox.exec({ command: "test -e tests/acceptance && echo present || echo gone" });
    expect(onDisk.stdout.trim()).toBe("gone");
    await sandbox.writeFile("src/math.js", "export const add = (a, b) => b + a;\n");
    const commit = await sandbox.commit({ message: "work", author: testIdentity });
    expect(commit).not.toBeNull();
    expect(await git.listFiles(commit!)).toContain("tests/acceptance/api.test.js");
  });
});
