import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { defaultSandboxPath, WorktreeSandboxProvider } from "@longshot/sandbox";
import type { TempRepo } from "@longshot/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { integrationBranch, integrationRepo, landerOn } from "../__fixtures__/lander-repo.js";
import { sandboxLockfileRegenerator } from "./sandbox-lockfile-regenerator.js";

/** The directory of the pnpm running this suite: the sandbox gets the project's toolchain, as in a run. */
function pnpmDir(): string {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    try {
      accessSync(join(dir, "pnpm"), constants.X_OK);
      return dir;
    } catch {
      // not here
    }
  }
  throw new Error("pnpm is not on PATH; the lockfile regeneration tests run the real pnpm");
}

const limits = { wallTimeoutMs: 300_000, idleTimeoutMs: 300_000, cpuCores: 1, memoryMb: 1024, network: true };
const manifest = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const member = (name: string, dependencies?: Record<string, string>) =>
  manifest({ name, version: "1.0.0", ...(dependencies ? { dependencies } : {}) });

/** pnpm 10's lockfile of the workspace below, with the root depending on `deps` (workspace packages). */
function lockfile(deps: readonly string[]): string {
  const importer =
    deps.length === 0
      ? "  .: {}\n"
      : `  .:\n    dependencies:\n${deps.map((dep) => `      '@x/${dep}':\n        specifier: workspace:*\n        version: link:packages/${dep}\n`).join("")}`;
  return [
    "lockfileVersion: '9.0'",
    "",
    "settings:",
    "  autoInstallPeers: true",
    "  excludeLinksFromLockfile: false",
    "",
    "importers:",
    "",
    `${importer}`,
    "  packages/app: {}",
    "",
    "  packages/cli: {}",
    "",
  ].join("\n");
}

/** What a task that added `dependencies` to the root manifest commits: the manifest and its lockfile. */
const adding = (dependencies: Record<string, string>, lock: string) => ({
  "package.json": manifest({ name: "root", private: true, dependencies }),
  "pnpm-lock.yaml": lock,
});

let repo: TempRepo | undefined;
let sandboxRoot: string | undefined;
let provider: WorktreeSandboxProvider | undefined;
afterEach(async () => {
  await provider?.close();
  if (sandboxRoot) rmSync(sandboxRoot, { recursive: true, force: true });
  await repo?.cleanup();
});

async function setUp() {
  repo = await integrationRepo({
    "package.json": manifest({ name: "root", private: true }),
    "pnpm-workspace.yaml": 'packages:\n  - "packages/*"\n',
    "pnpm-lock.yaml": lockfile([]),
    "packages/app/package.json": member("@x/app"),
    "packages/cli/package.json": member("@x/cli"),
  });
  sandboxRoot = mkdtempSync(join(tmpdir(), "longshot-lockfile-sandboxes-"));
  provider = new WorktreeSandboxProvider({
    root: sandboxRoot,
    path: `${dirname(process.execPath)}:${pnpmDir()}:${defaultSandboxPath}`,
  });
  const regenerate = sandboxLockfileRegenerator({
    sandboxes: provider,
    repoPath: repo.path,
    runId: "r1",
    branchPrefix: "longshot/",
    limits,
  });
  return { ...landerOn(repo, regenerate), regenerate };
}

describe("lockfiles regenerated in a sandbox without network", () => {
  it("lands two tasks that each added a workspace dependency, with the lockfile pnpm writes for both", async () => {
    const { events, branch, land, show } = await setUp();
    const app = await branch("app", adding({ "@x/app": "workspace:*" }, lockfile(["app"])));
    const cli = await branch("cli", adding({ "@x/cli": "workspace:*" }, lockfile(["cli"])));
    expect(await land("t0001", app)).toMatchObject({ kind: "landed" });
    expect(await land("t0002", cli)).toMatchObject({ kind: "landed", noop: false });

    expect(JSON.parse(await show("package.json")).dependencies).toEqual({
      "@x/app": "workspace:*",
      "@x/cli": "workspace:*",
    });
    const lock = await show("pnpm-lock.yaml");
    expect(`${lock}\n`).toBe(lockfile(["app", "cli"]));
    expect(events.filter((event) => event.type === "merge-auto-resolved")).toEqual([
      expect.objectContaining({ taskId: "t0002", rule: "json-manifest", files: ["package.json"] }),
      expect.objectContaining({ taskId: "t0002", rule: "lockfile-regenerated", files: ["pnpm-lock.yaml"] }),
    ]);
    expect((await provider!.slots()).filter((slot) => slot.state === "busy")).toEqual([]);
  });

  it("sends the conflict back to the task when a package is not available offline, landing no lockfile", async () => {
    const { events, branch, land, show } = await setUp();
    const app = await branch("app", adding({ "@x/app": "workspace:*" }, lockfile(["app"])));
    const registry = await branch(
      "registry",
      adding({ "left-pad-not-cached": "1.3.0" }, `${lockfile([])}\n# resolved elsewhere\n`),
    );
    await land("t0001", app);
    const head = await repo!.sha(integrationBranch);
    const outcome = await land("t0002", registry);
    expect(outcome).toMatchObject({ kind: "conflict", files: ["package.json", "pnpm-lock.yaml"] });
    expect(await repo!.sha(integrationBranch)).toBe(head);
    expect(`${await show("pnpm-lock.yaml")}\n`).toBe(lockfile(["app"]));
    const warning = events.find((event) => event.type === "log");
    expect(warning).toMatchObject({ level: "warn", taskId: "t0002" });
    expect(warning?.type === "log" ? warning.message : "").toMatch(
      /pnpm-lock\.yaml could not be regenerated: pnpm exited \d+: .*left-pad-not-cached/,
    );
  });

  it("says which lockfiles it cannot regenerate without starting a sandbox", async () => {
    const { regenerate } = await setUp();
    const outcome = await regenerate(
      { taskId: "t0001", attempt: 1, commit: repo!.initial, lockfiles: ["yarn.lock"] },
      new AbortController().signal,
    );
    expect(outcome).toEqual({ kind: "failed", reason: "regenerating yarn.lock is not supported" });
    expect(await provider!.slots()).toEqual([]);
  });
});
