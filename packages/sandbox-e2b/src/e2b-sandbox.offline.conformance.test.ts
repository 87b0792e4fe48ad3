import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SandboxProvider } from "@longshot/sandbox";
import { describeSandboxConformance } from "@longshot/sandbox/conformance";
import { afterAll } from "vitest";
import { LocalE2BClient } from "./__fixtures__/local-e2b-client.js";
import { e2bIsolation } from "./e2b-sandbox.js";
import { E2BSandboxProvider } from "./e2b-sandbox-provider.js";

// The whole shared suite, offline: the provider talks to the recording fake of the
// E2B service, which runs commands on this machine. Every sandbox gets a fresh "VM" directory,
// as every E2B sandbox is a fresh microVM.
const root = mkdtempSync(join(tmpdir(), "longshot-e2b-offline-"));
const workspaceRoot = join(root, "bundles");
const client = new LocalE2BClient();
afterAll(() => rmSync(root, { recursive: true, force: true }));

let machines = 0;
function freshVm(): { workdir: string; home: string; tmpDir: string } {
  machines += 1;
  const vm = join(root, `vm-${machines}`);
  mkdirSync(join(vm, "home"), { recursive: true });
  mkdirSync(join(vm, "tmp"));
  return { workdir: join(vm, "home/workspace"), home: join(vm, "home"), tmpDir: join(vm, "tmp") };
}

function makeProvider(): SandboxProvider {
  const options = { client, workspaceRoot, scope: "e2b-offline-conformance" };
  const base = new E2BSandboxProvider(options);
  return {
    name: base.name,
    create: (create) => new E2BSandboxProvider({ ...options, paths: freshVm() }).create(create),
    cleanOrphans: (liveIds, extra) => base.cleanOrphans(liveIds, extra),
    close: () => base.close(),
  };
}

describeSandboxConformance("e2b (offline fake of the service)", {
  makeProvider,
  isolation: e2bIsolation,
  leftovers: async (sandbox) =>
    existsSync(join(workspaceRoot, sandbox.id)) ? [`directory ${join(workspaceRoot, sandbox.id)}`] : [],
});
