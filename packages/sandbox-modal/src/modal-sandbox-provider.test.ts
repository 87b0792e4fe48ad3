import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { providerTestbed } from "@longshot/sandbox/conformance";
import { afterEach, describe, expect, it } from "vitest";
import { LocalModalClient } from "./local-modal-client.js";
import { ModalSandboxProvider } from "./modal-sandbox-provider.js";
import { modalAllowLists } from "./modal-sdk-client.js";

const author = { name: "Modal Test", email: "modal@example.com" };
const { temp, makeRepo, create, expectEgressAllowList, cleanup } = providerTestbed("modal");
afterEach(cleanup);

/** A provider whose sandbox paths live in a fresh "container" directory on this machine. */
function makeProvider(
  client: LocalModalClient,
  shared: { workspaceRoot: string; scope?: string; egressAllow?: readonly string[] },
) {
  const box = temp("longshot-modal-box-");
  mkdirSync(join(box, "root"));
  mkdirSync(join(box, "tmp"));
  return new ModalSandboxProvider({
    client,
    workspaceRoot: shared.workspaceRoot,
    scope: shared.scope ?? "modal-tests",
    ...(shared.egressAllow === undefined ? {} : { egressAllow: shared.egressAllow }),
    paths: { workdir: join(box, "root/workspace"), home: join(box, "root"), tmpDir: join(box, "tmp") },
  });
}

describe("ModalSandboxProvider at the SDK boundary", () => {
  it("refuses to start without a client or a token, saying what to set", () => {
    expect(() => new ModalSandboxProvider({ workspaceRoot: temp("longshot-modal-root-") })).toThrow(
      /set MODAL_TOKEN_ID and MODAL_TOKEN_SECRET/,
    );
    expect(
      () => new ModalSandboxProvider({ workspaceRoot: temp("longshot-modal-root-"), tokenId: "ak-1" }),
    ).toThrow(/MODAL_TOKEN_SECRET/);
  });

  it("asks for the configured CPU, memory, lifetime and network, and round-trips the repository as bundles", async () => {
    const client = new LocalModalClient();
    const repo = makeRepo();
    const workspaceRoot = temp("longshot-modal-root-");
    const sandbox = await create(makeProvider(client, { workspaceRoot }), repo, {
      wallTimeoutMs: 600_500,
      cpuCores: 2,
      memoryMb: 3072,
      network: false,
    });
    expect(sandbox.provider).toBe("modal");
    expect(sandbox.isolation).toMatchObject({ cpu: true, memory: true, network: true });
    const [created] = client.calls.filter((call) => call.op === "create");
    expect(created?.op === "create" && created.request).toMatchObject({
      timeoutMs: 661_000,
      cpu: 2,
      memoryMiB: 3072,
      blockNetwork: true,
      tags: { "longshot.sandbox": sandbox.id, "longshot.run": "rmodal", "longshot.scope": "modal-tests" },
    });
    const online = await create(makeProvider(client, { workspaceRoot }), repo, { network: true });
    const last = client.calls.filter((call) => call.op === "create").at(-1);
    expect(last?.op === "create" && last.request.blockNetwork).toBe(false);
    await online.destroy();

    expect(
      (await sandbox.exec({ command: "git rev-parse HEAD; git remote; git status --porcelain" })).stdout,
    ).toBe(`${repo.base}\n`);
    await sandbox.writeFile("src/b.ts", "export const b = 2;\n");
    const sha = await sandbox.commit({ message: "Add b", author });
    expect(repo.git("rev-parse", `refs/heads/${sandbox.branch}`)).toBe(repo.base);
    expect(await sandbox.exportResult()).toBe(sha);
    expect(repo.git("rev-parse", `refs/heads/${sandbox.branch}`)).toBe(sha);
    expect(repo.git("log", "-1", "--format=%an|%s|%P", sha ?? "")).toBe(`Modal Test|Add b|${repo.base}`);

    await sandbox.destroy();
    expect(client.isAlive(created?.sandboxId ?? "")).toBe(false);
    expect(readdirSync(workspaceRoot)).toEqual([]);
    await expect(sandbox.readFile("src/a.ts")).rejects.toMatchObject({ reason: "destroyed" });
  });

  it("lets a sandbox without network reach the hosts of egressAllow (the gateway's) and nothing else", async () => {
    const client = new LocalModalClient();
    const workspaceRoot = temp("longshot-modal-root-");
    await expectEgressAllowList(client, (egressAllow) =>
      makeProvider(client, { workspaceRoot, ...(egressAllow === undefined ? {} : { egressAllow }) }),
    );
    const requests = client.calls.flatMap((call) => (call.op === "create" ? [call.request] : []));
    expect(requests.map((request) => [request.blockNetwork, request.allowHosts])).toEqual([
      [false, ["127.0.0.1"]],
      [false, undefined],
      [true, undefined],
    ]);
  });

  it("keeps the Modal token out of the sandbox: not in the create request, commands or env", async () => {
    const client = new LocalModalClient();
    const sandbox = await create(
      makeProvider(client, { workspaceRoot: temp("longshot-modal-root-") }),
      makeRepo(),
      {},
      {
        FROM_SANDBOX: "yes",
      },
    );
    const env = await sandbox.exec({ command: "env", env: { FROM_EXEC: "too" } });
    const names = env.stdout.split("\n").map((line) => line.slice(0, line.indexOf("=")));
    expect(names).toContain("FROM_SANDBOX");
    expect(names.filter((name) => /KEY|TOKEN|SECRET|MODAL/.test(name))).toEqual([]);
    expect(JSON.stringify(client.calls)).not.toMatch(/MODAL_TOKEN|ak-|as-/);
    await sandbox.destroy();
  });

  it("kills the whole process tree on timeout, and reconnects after a dropped connection", async () => {
    const client = new LocalModalClient();
    const sandbox = await create(
      makeProvider(client, { workspaceRoot: temp("longshot-modal-root-") }),
      makeRepo(),
    );
    const loop = "(while true; do date +%s%N > beat; sleep 0.05; done) &";
    expect(await sandbox.exec({ command: `${loop} sleep 60`, timeoutMs: 700 })).toMatchObject({
      timedOut: true,
      exitCode: 137,
    });
    const before = await sandbox.readFile("beat");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await sandbox.readFile("beat")).toBe(before);
    client.failNext("readFile");
    client.failNext("run");
    expect(await sandbox.readFile("README.md")).toBe("# repo\n");
    expect(client.calls.filter((call) => call.op === "connect")).toHaveLength(2);
    await sandbox.destroy();
  });

  it("terminates orphans of its scope by tags, sparing live ids and other scopes", async () => {
    const client = new LocalModalClient();
    const repo = makeRepo();
    const workspaceRoot = temp("longshot-modal-root-");
    const orphan = await create(makeProvider(client, { workspaceRoot }), repo);
    const live = await create(makeProvider(client, { workspaceRoot }), repo);
    const stranger = await create(
      makeProvider(client, { workspaceRoot: temp("longshot-modal-other-"), scope: "other" }),
      repo,
    );
    const restarted = makeProvider(client, { workspaceRoot });
    const removed = await restarted.cleanOrphans([live.id]);
    expect(removed).toEqual([orphan.id]);
    await restarted.close();
    expect(client.closed).toBe(true);
    expect(existsSync(join(workspaceRoot, orphan.id))).toBe(false);
    expect((await live.exec({ command: "echo alive" })).stdout).toBe("alive\n");
    expect((await stranger.exec({ command: "echo alive" })).stdout).toBe("alive\n");
    await expect(orphan.exec({ command: "true" })).rejects.toMatchObject({ name: "SandboxError" });
    await Promise.all([orphan.destroy(), live.destroy(), stranger.destroy()]);
  });

  it("reports a refused create as a create failure and leaves nothing behind", async () => {
    const client = new LocalModalClient();
    client.checkFailure = new Error("UNAUTHENTICATED: invalid token");
    const workspaceRoot = temp("longshot-modal-root-");
    await expect(create(makeProvider(client, { workspaceRoot }), makeRepo())).rejects.toMatchObject({
      reason: "create-failed",
      message: expect.stringMatching(/^Could not create a Modal sandbox: UNAUTHENTICATED/),
    });
    expect(readdirSync(workspaceRoot)).toEqual([]);
  });
});

describe("modalAllowLists", () => {
  it("names addresses as single-host CIDRs and names as domains, so Modal lets nothing else through", () => {
    expect(modalAllowLists(["gw.example.com", "203.0.113.7", "2001:db8::1"])).toEqual({
      outboundCidrAllowlist: ["203.0.113.7/32", "2001:db8::1/128"],
      outboundDomainAllowlist: ["gw.example.com"],
    });
  });
});
