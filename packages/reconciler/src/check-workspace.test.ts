import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Git, ProcessGitRunner } from "@longshot/git";
import type { Sandbox } from "@longshot/sandbox";
import { createTempRepo, startLoopbackCanary, type TempRepo } from "@longshot/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkSandboxes } from "./__fixtures__/project.js";
import { CheckWorkspace } from "./check-workspace.js";
import type { HiddenTests } from "./hidden-tests.js";

let repo: TempRepo;
let workspace: CheckWorkspace;
let sandboxes: ReturnType<typeof checkSandboxes>;
let opened: { purpose: string; sandbox: Sandbox }[];

const files = {
  "package.json": JSON.stringify({ scripts: { build: "node build.js", test: "node --test" } }),
  "package-lock.json": '{"lockfileVersion":3}\n',
  "build.js":
    'require("fs").mkdirSync("dist", { recursive: true }); require("fs").writeFileSync("dist/out.txt", "built");\n',
};

function open(hidden: HiddenTests | null = null, build = "node build.js"): CheckWorkspace {
  const runner = new ProcessGitRunner();
  return new CheckWorkspace({
    git: new Git(repo.path, { runner }),
    gitRunner: runner,
    openSandbox: async (purpose, commit, signal) => {
      const sandbox = await sandboxes.open(purpose, commit, signal);
      opened.push({ purpose, sandbox });
      return sandbox;
    },
    overrides: {
      install: "mkdir -p node_modules && echo x >> node_modules/.installs && test ! -e fail-install",
      build,
    },
    hidden,
    timeoutMs: 60_000,
  });
}

beforeEach(async () => {
  repo = await createTempRepo({ files });
  sandboxes = checkSandboxes(repo.path);
  opened = [];
  workspace = open();
});

afterEach(async () => {
  await workspace.close();
  await sandboxes.close();
  await repo.cleanup();
});

const names = (run: { checks: readonly { name: string }[] }) => run.checks.map((check) => check.name);

describe("CheckWorkspace", () => {
  it("installs on first use and again only when a lockfile changes, in one warm sandbox", async () => {
    const first = await workspace.run(repo.initial);
    expect(names(first)).toEqual(["install", "build", "test"]);
    expect(first.green).toBe(true);
    const code = await repo.commit({ "src/a.js": "1;\n" }, "code");
    expect(names(await workspace.run(code))).toEqual(["build", "test"]);
    const lock = await repo.commit({ "package-lock.json": '{"lockfileVersion":3,"packages":{}}\n' }, "deps");
    expect(names(await workspace.run(lock))).toEqual(["install", "build", "test"]);
    expect(names(await workspace.run(lock))).toEqual(["build", "test"]);
    expect(opened.map((entry) => entry.purpose)).toEqual(["checks"]);
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
    await workspace.close();
    // The build fails when a file an earlier build left behind is still there.
    workspace = open(
      null,
      'test ! -e stray.txt && node build.js && echo left > stray.txt && test "$(cat node_modules/.installs)" = x',
    );
    expect((await workspace.run(repo.initial)).green).toBe(true);
    const next = await repo.commit({ "src/b.js": "2;\n" }, "more");
    const run = await workspace.run(next);
    expect(run.checks.map((check) => [check.name, check.ok])).toEqual([
      ["build", true],
      ["test", true],
    ]);
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

  it("runs committed code inside the sandbox: a test that writes a host canary and connects to a local port reaches neither, and fails honestly", async () => {
    const canaryDir = mkdtempSync(join(tmpdir(), "longshot-canary-"));
    const canary = join(canaryDir, "pwned.txt");
    const listener = await startLoopbackCanary();
    const port = listener.port;
    try {
      const hostile = [
        'const { test } = require("node:test");',
        'const assert = require("node:assert");',
        'const fs = require("node:fs");',
        'const net = require("node:net");',
        `test("writes the host", () => { fs.writeFileSync(${JSON.stringify(canary)}, "escaped"); });`,
        'test("calls home", async () => {',
        `  await new Promise((resolve, reject) => { const s = net.connect(${port}, "127.0.0.1", () => { s.end(); resolve(); }); s.on("error", reject); });`,
        "});",
        'test("honest", () => assert.equal(1, 1));',
        "",
      ].join("\n");
      const commit = await repo.commit({ "evil.test.js": hostile }, "hostile tests");
      const run = await workspace.run(commit);
      expect(existsSync(canary)).toBe(false);
      expect(listener.connections).toBe(0);
      expect(run.green).toBe(false);
      const test = run.checks.find((check) => check.name === "test");
      expect(test).toMatchObject({ ok: false, counts: { passed: 1, failed: 2, skipped: 0 } });
      expect(run.failures.map((failure) => failure.test).sort()).toEqual(["calls home", "writes the host"]);
    } finally {
      await listener.close();
      rmSync(canaryDir, { recursive: true, force: true });
    }
  });

  it("runs the held-out tests in a sandbox of their own, so a test that copies them leaves nothing behind", async () => {
    await workspace.close();
    const secretTest = 'require("node:test").test("accepts", () => { /* HELD-OUT-7a1b */ });\n';
    const withHidden = await repo.commit({ "acceptance/spec.test.js": secretTest }, "acceptance tests");
    const start = await repo.commit({ "acceptance/spec.test.js": null }, "hold them out");
    // A committed build step that stashes whatever it finds into the kept dependency folder,
    // /tmp and $HOME, and a test that prints whatever a stash holds.
    const stash =
      'mkdir -p node_modules && cat acceptance/*.js > node_modules/stash.txt 2>/dev/null; cat acceptance/*.js > /tmp/stash.txt 2>/dev/null; cat acceptance/*.js > "$HOME/stash.txt" 2>/dev/null; node build.js';
    workspace = open(
      { path: "acceptance", source: withHidden, command: "node --test acceptance/spec.test.js" },
      stash,
    );
    const first = await workspace.run(start);
    expect(first.checks.find((check) => check.name === "acceptance")).toMatchObject({ ok: true });
    const next = await repo.commit(
      {
        "leak.test.js": `require("node:test").test("leak", () => { for (const f of ["node_modules/stash.txt", "/tmp/stash.txt", process.env.HOME + "/stash.txt"]) { let found = ""; try { found = require("fs").readFileSync(f, "utf8"); } catch {} if (found !== "") require("node:assert").fail("stash: " + found); } });\n`,
      },
      "look for the stash",
    );
    const second = await workspace.run(next, { only: "test" });
    expect(second.checks.map((check) => check.excerpt).join("\n")).not.toContain("HELD-OUT-7a1b");
    expect(second.green).toBe(true);
    expect(opened.map((entry) => entry.purpose)).toEqual(["checks", "acceptance"]);
    await expect(
      opened.find((entry) => entry.purpose === "acceptance")!.sandbox.exec({ command: "true" }),
    ).rejects.toMatchObject({
      reason: "destroyed",
    });
  });

  it("replaces a check sandbox that died between sweeps", async () => {
    await workspace.run(repo.initial);
    await opened[0]!.sandbox.destroy();
    const next = await repo.commit({ "src/c.js": "3;\n" }, "after the sandbox died");
    const run = await workspace.run(next);
    expect(run.green).toBe(true);
    expect(names(run)).toEqual(["install", "build", "test"]);
    expect(opened).toHaveLength(2);
  });
});
