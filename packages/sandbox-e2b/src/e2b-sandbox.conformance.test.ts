import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeSandboxConformance } from "@longshot/sandbox/conformance";
import { afterAll, describe, it } from "vitest";
import { e2bIsolation } from "./e2b-sandbox.js";
import { E2BSandboxProvider } from "./e2b-sandbox-provider.js";
import { e2bSdkClient } from "./e2b-sdk-client.js";

// The real service costs money and needs a key, so this suite runs only when E2B_API_KEY is
// set (with E2B_TEMPLATE naming a template built from docker/e2b.Dockerfile, default
// longshot-worker). The offline tests in e2b-sandbox-provider.test.ts cover the provider at
// the SDK boundary either way.
const apiKey = process.env.E2B_API_KEY ?? "";
const template = process.env.E2B_TEMPLATE ?? "longshot-worker";

if (apiKey !== "") {
  const client = e2bSdkClient({ apiKey });
  const workspaceRoot = mkdtempSync(join(tmpdir(), "longshot-e2b-conformance-"));
  const scope = `vitest-e2b-${workspaceRoot.slice(-6)}`;
  afterAll(() => rmSync(workspaceRoot, { recursive: true, force: true }));
  describeSandboxConformance(`e2b (template ${template})`, {
    makeProvider: () => new E2BSandboxProvider({ client, template, workspaceRoot, scope }),
    isolation: e2bIsolation,
    limits: { cpuCores: 2, memoryMb: 2048 },
    leftovers: async (sandbox) => {
      const found: string[] = [];
      for (const info of await client.list({ "longshot.sandbox": sandbox.id }))
        found.push(`E2B sandbox ${info.sandboxId}`);
      if (existsSync(join(workspaceRoot, sandbox.id)))
        found.push(`directory ${join(workspaceRoot, sandbox.id)}`);
      return found;
    },
  });
} else {
  process.stderr.write(
    "\n*** NOT RUNNING the E2B conformance suite: E2B_API_KEY is not set (it needs the real service). ***\n\n",
  );
  describe.skip("Sandbox conformance: e2b (NOT RUNNING: E2B_API_KEY is not set; the suite needs the real E2B service)", () => {
    it("runs against the real service when E2B_API_KEY is set", () => undefined);
  });
}
