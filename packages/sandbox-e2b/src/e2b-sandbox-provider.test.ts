import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { RepositorySandboxProvider, SandboxRepository } from "@longshot/sandbox";
import { providerTestbed } from "@longshot/sandbox/conformance";
import { afterEach, describe, expect, it } from "vitest";
import { E2BSandboxProvider } from "./e2b-sandbox-provider.js";
import { LocalE2BClient } from "./local-e2b-client.js";

const author = { name: "E2B Test", email: "e2b@example.com" };
const { temp, makeRepo, create, expectEgressAllowList, cleanup } = providerTestbed("e2b");
afterEach(cleanup);

/** A provider whose sandbox paths live in a fresh "VM" directory on this machine. */
function makeProvider(
  client: LocalE2BClient,
  shared: { workspaceRoot: string; scope?: string; egressAllow?: readonly string[] },
) {
  const vm = temp("longshot-e2b-vm-");
  mkdirSync(join(vm, "home"));
  mkdirSync(join(vm, "tmp"));
  return new E2BSandboxProvider({
    client,
    workspaceRoot: shared.workspaceRoot,
    scope: shared.scope ?? "e2b-tests",
    template: "longshot-worker-test",
    ...(shared.egressAllow === undefined ? {} : { egressAllow: shared.egressAllow }),
    paths: { workdir: join(vm, "home/workspace"), home: join(vm, "home"), tmpDir: join(vm, "tmp") },
  });
}

describe("E2BSandboxProvider at the SDK boundary", () => {
  it("refuses to start without a client or an API key, saying what to set", () => {
    expect(() => new E2BSandboxProvider({ workspaceRoot: temp("longshot-e2b-root-") })).toThrow(
      /set E2B_API_KEY/,
    );
  });

  it("round-trips the repository through bundles: clone at the base, commit inside, fetch back", async () => {
    const client = new LocalE2BClient();
    const repo = makeRepo();
    const workspaceRoot = temp("longshot-e2b-root-");
    const sandbox = await create(makeProvider(client, { workspaceRoot }), repo, {
      wallTimeoutMs: 600_000,
      network: false,
    });

    const [created] = client.calls.filter((call) => call.op === "create");
    expect(created?.op === "create" && created.request).toMatchObject({
      template: "longshot-worker-test",
      timeoutMs: 660_000,
      allowInternetAccess: false,
      metadata: { "longshot.sandbox": sandbox.id, "longshot.run": "re2b", "longshot.scope": "e2b-tests" },
    });
    expect(
      client.calls.some((call) => call.op === "writeFile" && call.path.endsWith(".longshot-in.bundle")),
    ).toBe(true);

    const head = await sandbox.exec({ command: "git rev-parse HEAD; git remote; git status --porcelain" });
    expect(head.stdout).toBe(`${repo.base}\n`);
    expect(await sandbox.commit({ message: "nothing", author })).toBeNull();
    expect(await sandbox.exportResult()).toBe(repo.base);

    await sandbox.writeFile("src/b.ts", "export const b = 2;\n");
    await sandbox.exec({ command: "rm README.md" });
    const sha = await sandbox.commit({ message: "Add b", author });
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(repo.git("rev-parse", `refs/heads/${sandbox.branch}`)).toBe(repo.base);
    expect(await sandbox.exportResult()).toBe(sha);
    expect(repo.git("rev-parse", `refs/heads/${sandbox.branch}`)).toBe(sha);
    expect(repo.git("log", "-1", "--format=%an <%ae>|%s|%P", sha ?? "")).toBe(
      `E2B Test <e2b@example.com>|Add b|${repo.base}`,
    );
    expect(repo.git("ls-tree", "-r", "--name-only", sha ?? "").split("\n")).toEqual(["src/a.ts", "src/b.ts"]);

    await sandbox.destroy();
    expect(client.isAlive(client.calls.find((call) => call.op === "create")?.sandboxId ?? "")).toBe(false);
    expect(readdirSync(workspaceRoot)).toEqual([]);
    await expect(sandbox.readFile("src/a.ts")).rejects.toMatchObject({ reason: "destroyed" });
  });

  it("keeps the orchestrator's E2B key out of the sandbox: not in the create request, commands or env", async () => {
    const client = new LocalE2BClient();
    const repo = makeRepo();
    const provider = makeProvider(client, { workspaceRoot: temp("longshot-e2b-root-") });
    const sandbox = await create(provider, repo, {}, { FROM_SANDBOX: "yes" });
    const env = await sandbox.exec({ command: "env", env: { FROM_EXEC: "too" } });
    const names = env.stdout.split("\n").map((line) => line.slice(0, line.indexOf("=")));
    expect(names).toContain("FROM_SANDBOX");
    expect(names).toContain("FROM_EXEC");
    expect(names.filter((name) => /KEY|TOKEN|SECRET/.test(name))).toEqual([]);
    const recorded = JSON.stringify(client.calls);
    expect(recorded).not.toMatch(/E2B_API_KEY|sk-/);
    await sandbox.destroy();
  });

  it("lets a sandbox without network reach the hosts of egressAllow (the gateway's) and nothing else", async () => {
    const client = new LocalE2BClient();
    const workspaceRoot = temp("longshot-e2b-root-");
    await expectEgressAllowList(client, (egressAllow) =>
      makeProvider(client, { workspaceRoot, ...(egressAllow === undefined ? {} : { egressAllow }) }),
    );
    const requests = client.calls.flatMap((call) => (call.op === "create" ? [call.request] : []));
    expect(requests.map((request) => [request.allowInternetAccess, request.allowOut])).toEqual([
      [false, ["127.0.0.1"]],
      [true, undefined],
      [false, undefined],
    ]);
  });

  it("holds commands to SANDBOX_CPU_CORES when the template's VM has more cores", async () => {
    const client = new LocalE2BClient();
    const repo = makeRepo();
    const root = temp("longshot-e2b-root-");
    const cores = availableParallelism();
    const one = await create(makeProvider(client, { workspaceRoot: root }), repo, { cpuCores: 1 });
    expect((await one.exec({ command: "nproc" })).stdout).toBe("1\n");
    const all = await create(makeProvider(client, { workspaceRoot: root }), repo, { cpuCores: cores + 4 });
    expect((await all.exec({ command: "nproc" })).stdout).toBe(`${cores}\n`);
    await Promise.all([one.destroy(), all.destroy()]);
  });

  it("kills the whole process tree on timeout and rejects with AbortError on abort", async () => {
    const client = new LocalE2BClient();
    const repo = makeRepo();
    const sandbox = await create(makeProvider(client, { workspaceRoot: temp("longshot-e2b-root-") }), repo);
    const loop = "(while true; do date +%s%N > beat; sleep 0.05; done) &";
    const timed = await sandbox.exec({ command: `${loop} sleep 60`, timeoutMs: 700 });
    expect(timed).toMatchObject({ timedOut: true, exitCode: 137 });
    const before = await sandbox.readFile("beat");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await sandbox.readFile("beat")).toBe(before);

    const controller = new AbortController();
    // A duration no other process on the machine uses, so pgrep counts only this tree's.
    const running = sandbox.exec({ command: "sleep 61.4321", signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await expect(running).rejects.toMatchObject({ name: "AbortError" });
    const left = await sandbox.exec({ command: "pgrep -c -f '^sleep 61.4321$' || true" });
    expect(left.stdout.trim()).toBe("0");
    await sandbox.destroy();
  });

  it("reconnects after a dropped connection and retries idempotent calls", async () => {
    const client = new LocalE2BClient();
    const repo = makeRepo();
    const sandbox = await create(makeProvider(client, { workspaceRoot: temp("longshot-e2b-root-") }), repo);
    client.failNext("readFile");
    client.failNext("run");
    expect(await sandbox.readFile("README.md")).toBe("# repo\n");
    expect(client.calls.filter((call) => call.op === "connect")).toHaveLength(2);
    await sandbox.destroy();
  });

  it("guards paths and commands like every provider", async () => {
    const client = new LocalE2BClient();
    const repo = makeRepo();
    const sandbox = await create(makeProvider(client, { workspaceRoot: temp("longshot-e2b-root-") }), repo);
    await sandbox.exec({ command: "ln -s / rootlink" });
    await expect(sandbox.readFile("../outside")).rejects.toMatchObject({ reason: "path-escape" });
    await expect(sandbox.writeFile("rootlink/tmp/x", "x")).rejects.toMatchObject({ reason: "path-escape" });
    await expect(sandbox.exec({ command: "rm -rf /" })).rejects.toMatchObject({ reason: "command-refused" });
    await expect(sandbox.readFile("src")).rejects.toMatchObject({ reason: "not-a-file" });
    expect((await sandbox.search("export", { path: "src" })).matches).toEqual([
      { file: "src/a.ts", line: 1, text: "export const a = 1;" },
    ]);
    expect((await sandbox.listFiles("", { recursive: true })).entries.map((entry) => entry.path)).toEqual([
      "README.md",
      "rootlink",
      "src/a.ts",
    ]);
    await sandbox.destroy();
  });

  it("works from a shallow sandboxes' repository and moves a warm sandbox to later commits", async () => {
    const client = new LocalE2BClient();
    const repo = makeRepo();
    writeFileSync(join(repo.path, "tests.txt"), "held out\n");
    repo.git("add", "--all");
    repo.git("commit", "--quiet", "--message", "with held-out tests");
    repo.git("rm", "--quiet", "tests.txt");
    repo.git("commit", "--quiet", "--message", "start");
    const start = repo.git("rev-parse", "HEAD");
    const repository = await SandboxRepository.open({
      source: repo.path,
      path: join(temp("longshot-e2b-mirror-"), "sandboxes.git"),
      root: start,
      withhold: ["tests.txt"],
    });
    const provider = new RepositorySandboxProvider(
      makeProvider(client, { workspaceRoot: temp("longshot-e2b-root-") }),
      repository,
    );
    const sandbox = await create(provider, { path: repo.path, base: start });
    const inside = await sandbox.exec({
      command:
        "git log --format=%s; git cat-file --batch-all-objects --batch-check | wc -l; git show HEAD~1:tests.txt",
    });
    expect(inside.stdout.split("\n").slice(0, 1)).toEqual(["start"]);
    expect(inside.stderr).toMatch(/HEAD~1|unknown revision|invalid object/);
    writeFileSync(join(repo.path, "src/later.ts"), "export const later = 1;\n");
    repo.git("add", "--all");
    repo.git("commit", "--quiet", "--message", "later");
    const later = repo.git("rev-parse", "HEAD");
    await sandbox.writeFile("scratch.txt", "x");
    await sandbox.moveTo(later);
    expect(sandbox.baseCommit).toBe(later);
    const moved = await sandbox.exec({
      command: "git rev-parse HEAD; cat src/later.ts; test -e scratch.txt || echo clean",
    });
    expect(moved.stdout).toBe(`${later}\nexport const later = 1;\nclean\n`);
    await sandbox.writeFile("src/b.ts", "export const b = 2;\n");
    const sha = await sandbox.commit({ message: "Add b", author });
    expect(repo.git("log", "-1", "--format=%P", `refs/heads/${sandbox.branch}`)).toBe(later);
    expect(repo.git("rev-parse", `refs/heads/${sandbox.branch}`)).toBe(sha);
    await sandbox.destroy();
    // Nothing older than the start, and nothing holding the withheld path, may enter.
    await expect(create(provider, repo)).rejects.toMatchObject({ reason: "create-failed" });
    writeFileSync(join(repo.path, "tests.txt"), "held out\n");
    repo.git("add", "--all");
    repo.git("commit", "--quiet", "--message", "tests back");
    const restored = repo.git("rev-parse", "HEAD");
    await expect(create(provider, { path: repo.path, base: restored })).rejects.toThrow(
      /held-out files \(tests.txt\)/,
    );
  });

  it("kills the sandbox at its wall timeout and when left idle", async () => {
    const client = new LocalE2BClient();
    const repo = makeRepo();
    const root = temp("longshot-e2b-root-");
    // Generous limits: creating the sandbox (a clone and a probe) must fit in them on a loaded machine.
    const walled = await create(makeProvider(client, { workspaceRoot: root }), repo, {
      wallTimeoutMs: 4_000,
    });
    await expect(walled.exec({ command: "sleep 30" })).rejects.toMatchObject({ reason: "wall-timeout" });
    const idle = await create(makeProvider(client, { workspaceRoot: root }), repo, { idleTimeoutMs: 1_500 });
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    await expect(idle.exec({ command: "true" })).rejects.toMatchObject({ reason: "idle-timeout" });
    const killed = client.calls
      .filter((call) => call.op === "kill")
      .map((call) => call.op === "kill" && call.sandboxId);
    expect(killed).toHaveLength(2);
    expect(readdirSync(root)).toEqual([]);
  });

  it("kills orphans of its scope by metadata, sparing live ids and other scopes", async () => {
    const client = new LocalE2BClient();
    const repo = makeRepo();
    const workspaceRoot = temp("longshot-e2b-root-");
    const orphan = await create(makeProvider(client, { workspaceRoot }), repo);
    const live = await create(makeProvider(client, { workspaceRoot }), repo);
    const stranger = await create(
      makeProvider(client, { workspaceRoot: temp("longshot-e2b-other-"), scope: "other" }),
      repo,
    );
    const restarted = makeProvider(client, { workspaceRoot });
    const removed = await restarted.cleanOrphans([live.id]);
    expect(removed).toEqual([orphan.id]);
    expect(existsSync(join(workspaceRoot, orphan.id))).toBe(false);
    expect((await live.exec({ command: "echo alive" })).stdout).toBe("alive\n");
    expect((await stranger.exec({ command: "echo alive" })).stdout).toBe("alive\n");
    await expect(orphan.exec({ command: "true" })).rejects.toMatchObject({ name: "SandboxError" });
    await Promise.all([orphan.destroy(), live.destroy(), stranger.destroy()]);
  });
});
