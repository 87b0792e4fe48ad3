import { describeSandboxConformance } from "@longshot/sandbox/conformance";
import { describe, it } from "vitest";
import { dockerConformanceSetup } from "./__fixtures__/conformance-setup.js";
import { dockerUnavailable, testDocker } from "./__fixtures__/engine.js";

const unavailable = dockerUnavailable();

if (unavailable === "") {
  describeSandboxConformance(
    "docker, git bundle through the engine",
    await dockerConformanceSetup(testDocker(), { delivery: "bundle" }),
  );
} else {
  describe.skip(`Sandbox conformance: docker bundle (SKIPPED: ${unavailable})`, () => {
    it("needs a reachable Docker engine", () => undefined);
  });
}
