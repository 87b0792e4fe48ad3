import { rmSync } from "node:fs";
import { describeSandboxConformance } from "@longshot/sandbox/conformance";
import { afterAll, describe, it } from "vitest";
import { dockerConformanceSetup } from "./__fixtures__/conformance-setup.js";
import { dockerUnavailable, testDocker } from "./__fixtures__/engine.js";

const unavailable = dockerUnavailable();

if (unavailable === "") {
  const setup = await dockerConformanceSetup(testDocker());
  afterAll(() => rmSync(setup.workspaceRoot, { recursive: true, force: true }));
  describeSandboxConformance("docker, worktree bind mount", setup);
} else {
  describe.skip(`Sandbox conformance: docker (SKIPPED: ${unavailable})`, () => {
    it("needs a reachable Docker engine", () => undefined);
  });
}
