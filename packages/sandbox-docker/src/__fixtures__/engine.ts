import { randomUUID } from "node:crypto";
import Docker from "dockerode";
import { inject } from "vitest";
import { testScopePrefix } from "./scope.js";

/** The worker image built by scripts/build-worker-image.sh in the global setup. */
export const testImage = "longshot-worker:latest";

/** Empty when the Docker engine is usable; otherwise the loud reason the tests skip. */
export function dockerUnavailable(): string {
  return inject("dockerUnavailable");
}

/** A client for the engine the global setup probed (DOCKER_HOST honoured). */
export function testDocker(): Docker {
  return new Docker();
}

/** A scope label value unique to one test file, so reaping tests never touch other runs. */
export function testScope(): string {
  return `${testScopePrefix}${randomUUID().slice(0, 8)}`;
}
