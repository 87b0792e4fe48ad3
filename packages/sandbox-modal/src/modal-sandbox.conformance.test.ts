import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeSandboxConformance } from "@longshot/sandbox/conformance";
import { afterAll, describe, it } from "vitest";
import { modalIsolation } from "./modal-isolation.js";
import { ModalSandboxProvider } from "./modal-sandbox-provider.js";
import { modalSdkClient } from "./modal-sdk-client.js";

// The real service costs money and needs a token, so this suite runs only when
// MODAL_TOKEN_ID and MODAL_TOKEN_SECRET are set (sandboxes go to the app MODAL_APP, default
// longshot-conformance). The offline tests cover the provider at the SDK boundary either way.
const tokenId = process.env.MODAL_TOKEN_ID ?? "";
const tokenSecret = process.env.MODAL_TOKEN_SECRET ?? "";

if (tokenId !== "" && tokenSecret !== "") {
  const client = modalSdkClient({
    tokenId,
    tokenSecret,
    appName: process.env.MODAL_APP ?? "longshot-conformance",
    ...(process.env.MODAL_IMAGE === undefined ? {} : { image: process.env.MODAL_IMAGE }),
  });
  const workspaceRoot = mkdtempSync(join(tmpdir(), "longshot-modal-conformance-"));
  const scope = `vitest-modal-${workspaceRoot.slice(-6)}`;
  afterAll(() => rmSync(workspaceRoot, { recursive: true, force: true }));
  describeSandboxConformance("modal (real service)", {
    makeProvider: () => new ModalSandboxProvider({ client, workspaceRoot, scope }),
    isolation: modalIsolation,
    limits: { cpuCores: 1, memoryMb: 1024 },
    leftovers: async (sandbox) => {
      const found: string[] = [];
      for (const info of await client.list({ "longshot.sandbox": sandbox.id }))
        found.push(`Modal sandbox ${info.sandboxId}`);
      if (existsSync(join(workspaceRoot, sandbox.id)))
        found.push(`directory ${join(workspaceRoot, sandbox.id)}`);
      return found;
    },
  });
} else {
  process.stderr.write(
    "\n*** NOT RUNNING the Modal conformance suite: MODAL_TOKEN_ID/MODAL_TOKEN_SECRET are not set (it needs the real service). ***\n\n",
  );
  describe.skip("Sandbox conformance: modal (NOT RUNNING: MODAL_TOKEN_ID/MODAL_TOKEN_SECRET are not set; the suite needs the real Modal service)", () => {
    it("runs against the real service when MODAL_TOKEN_ID and MODAL_TOKEN_SECRET are set", () => undefined);
  });
}
