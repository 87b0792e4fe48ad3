import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SandboxProvider } from "@longshot/sandbox";
import { describeSandboxConformance } from "@longshot/sandbox/conformance";
import { afterAll } from "vitest";
import { LocalModalClient } from "./__fixtures__/local-modal-client.js";
import { modalIsolation } from "./modal-isolation.js";
import { ModalSandboxProvider } from "./modal-sandbox-provider.js";

// The whole shared suite, offline: the provider talks to the recording fake of the
// Modal service, which runs commands on this machine. Every sandbox gets a fresh "container"
// directory, as every Modal sandbox is a fresh container.
const root = mkdtempSync(join(tmpdir(), "longshot-modal-offline-"));
const workspaceRoot = join(root, "bundles");
const client = new LocalModalClient();
afterAll(() => rmSync(root, { recursive: true, force: true }));

let containers = 0;
function freshContainer(): { workdir: string; home: string; tmpDir: string } {
  containers += 1;
  const box = join(root, `box-${containers}`);
  mkdirSync(join(box, "root"), { recursive: true });
  mkdirSync(join(box, "tmp"));
  return { workdir: join(box, "root/workspace"), home: join(box, "root"), tmpDir: join(box, "tmp") };
}

function makeProvider(): SandboxProvider {
  const options = { client, workspaceRoot, scope: "modal-offline-conformance" };
  const base = new ModalSandboxProvider(options);
  return {
    name: base.name,
    create: (create) => new ModalSandboxProvider({ ...options, paths: freshContainer() }).create(create),
    cleanOrphans: (liveIds, extra) => base.cleanOrphans(liveIds, extra),
    close: () => base.close(),
  };
}

describeSandboxConformance("modal (offline fake of the service)", {
  makeProvider,
  isolation: modalIsolation,
  leftovers: async (sandbox) =>
    existsSync(join(workspaceRoot, sandbox.id)) ? [`directory ${join(workspaceRoot, sandbox.id)}`] : [],
});
