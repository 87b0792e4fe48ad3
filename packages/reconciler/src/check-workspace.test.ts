import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "@longshot/core";
import { Git, ProcessGitRunner } from "@longshot/git";
import { sandboxEnv } from "@longshot/sandbox";
import { createTempRepo, type TempRepo } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CheckWorkspace } from "./check-workspace.js";
import { LocalShellRunner } from "./shell-runner.js";

let repo: TempRepo;
let workspace: CheckWorkspace;

const files = {
  "package.json": JSON.stringify({ scripts: { build: "node build.js", test: "node --test" } }),
  "package-lock.json": '{"lockfileVersion":3}\n',
  "build.js":
    'require("fs").mkdirSync("dist", { recursive: true }); require("fs").writeFileSync("dist/out.txt", "built");\n',
};

beforeEach(async () => {
  repo = await createTempRepo({ files });
  const runner = new ProcessGitRunner();
  const home = mkdtempSync(join(tmpdir(), "longshot-home-"));
  workspace = new CheckWorkspace({
    git: new Git(repo.path, { runner }),
    gitRunner: runner,
    path: repo.tempPath("checks"),
    shell: new LocalShellRunner(new ManualClock()),
    env: sandboxEnv({ home, tmpdir: home, path: process.env.PATH ?? "/usr/bin:/bin" }),
    clock: new ManualClock(),
    overrides: {
      install: "mkdir -p node_modules && echo x >> node_modules/.installs && test ! -e fail-install",
      build: "node build.js",
    },
  });
});

afterEach(async () => {
  await workspace.remove();
  await repo.cleanup();
});

const names = (run: { checks: readonly { name: string }[] }) => run.checks.map((check) => check.name);

describe("CheckWorkspace", () => {
  it("installs on first use and again only when a lockfile changes", async () => {
    const first = await workspace.run(repo.initial);
    expect(names(first)).toEqual(["install", "build", "test"]);
    expect(first.green).toBe(true);
    const code = await repo.commit({ "src/a.js": "1;\n" }, "code");
    expect(names(await workspace.run(code))).toEqual(["build", "test"]);
    const lock = await repo.commit({ "package-lock.json": '{"lockfileVersion":3,"packages":{}}\n' }, "deps");
    expect(names(await workspace.run(lock))).toEqual(["install", "build", "test"]);
    expect(names(await workspace.run(lock))).toEqual(["build", "test"]);
  });

  it("stops after a failed install and retries it next time", async () => {
    const broken = await repo.commit({ "fail-install": "" }, "break install");
    const run = await workspace.run(broken);
    expect(names(run)).toEqual(["install"]);
    expect(run.green).toBe(false);
    const fixed = await repo.commit({ "fail-install": null }, "fix install");
    expect(names(await workspace.run(fixed))).toEqual(["install", "build", "test"]);
  });

  it("starts every check from a clean checkout of the commit, keeping dependencies", async () => {
    await workspace.run(repo.initial);
    const stray = join(workspace.path, "stray.txt");
    const { writeFileSync, existsSync, readFileSync } = await import("node:fs");
    writeFileSync(stray, "left behind");
    const next = await repo.commit({ "src/b.js": "2;\n" }, "more");
    await workspace.run(next);
    expect(existsSync(stray)).toBe(false);
    expect(existsSync(join(workspace.path, "src/b.js"))).toBe(true);
    expect(readFileSync(join(workspace.path, "node_modules/.installs"), "utf8")).toBe("x\n");
  });

  it("runs only the asked check after its prerequisites", async () => {
    const withTest = await repo.commit(
      { "x.test.js": 'require("node:test").test("t", () => { require("node:assert").equal(1, 2); });\n' },
      "a failing test",
    );
    const run = await workspace.run(withTest, { only: "test" });
    expect(names(run)).toEqual(["install", "build", "test"]);
    expect(run.checks[2]).toMatchObject({ ok: false, counts: { passed: 0, failed: 1, skipped: 0 } });
    expect(run.failures).toEqual([expect.objectContaining({ check: "test", test: "t", file: "x.test.js" })]);
  });
});
